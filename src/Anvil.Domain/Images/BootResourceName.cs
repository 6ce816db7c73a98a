using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Images;

/// <summary>
/// A boot resource's name: <c>os/series</c> (<c>ubuntu/noble</c>, <c>debian/bookworm</c>),
/// <c>custom/name</c>, or a bare name, which MAAS treats as <c>custom/name</c>.
/// </summary>
public readonly partial record struct BootResourceName(string Os, string Series)
{
    public const string CustomOs = "custom";

    /// <summary>The name as stored and shown: <c>os/series</c>, or the bare name of a custom image.</summary>
    public string Stored { get; init; } = $"{Os}/{Series}";

    public bool IsCustom => Os == CustomOs;

    public static bool TryParse(string? text, out BootResourceName name)
    {
        name = default;
        if (string.IsNullOrEmpty(text) || text.Length > 255)
            return false;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            if (!Segment().IsMatch(text))
                return false;
            name = new BootResourceName(CustomOs, text) { Stored = text };
            return true;
        }

        var os = text[..slash];
        var series = text[(slash + 1)..];
        if (!Segment().IsMatch(os) || !Segment().IsMatch(series))
            return false;
        name = new BootResourceName(os, series);
        return true;
    }

    /// <summary>Parses a form field, answering MAAS-style field errors.</summary>
    public static BootResourceName Parse(string field, string? text) =>
        TryParse(text, out var name)
            ? name
            : throw new ValidationException(field, "Enter a name of the form os/series, custom/name or name (letters, digits, '.', '-', '_', '+').");

    public override string ToString() => Stored;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex Segment();
}

/// <summary>A boot resource's architecture, <c>arch/subarch</c> (<c>amd64/generic</c>, <c>arm64/hwe-22.04</c>).</summary>
public readonly partial record struct BootArchitecture(string Arch, string Subarch)
{
    public const string Generic = "generic";

    public static bool TryParse(string? text, out BootArchitecture architecture)
    {
        architecture = default;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
            return false;
        var parts = text.Split('/');
        if (parts.Length != 2 || !Segment().IsMatch(parts[0]) || !Segment().IsMatch(parts[1]))
            return false;
        architecture = new BootArchitecture(parts[0], parts[1]);
        return true;
    }

    public static BootArchitecture Parse(string field, string? text) =>
        TryParse(text, out var architecture)
            ? architecture
            : throw new ValidationException(field, $"'{text}' is not a valid architecture: use arch/subarch, e.g. amd64/generic.");

    public override string ToString() => $"{Arch}/{Subarch}";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Segment();
}
