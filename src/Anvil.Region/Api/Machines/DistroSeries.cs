using Anvil.Domain.Errors;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Resolves deploy's <c>distro_series</c>: a series name (<c>noble</c>), <c>os/series</c>, a release
/// alias (<c>24.04</c>) or a bare OS name meaning its newest release, as MAAS accepts them.
/// </summary>
internal static class DistroSeries
{
    private static readonly (string Os, string Series, string Version)[] Known =
    [
        ("ubuntu", "noble", "24.04"),
        ("ubuntu", "jammy", "22.04"),
        ("ubuntu", "focal", "20.04"),
        ("ubuntu", "bionic", "18.04"),
        ("debian", "bookworm", "12"),
        ("debian", "trixie", "13"),
        ("centos", "centos8-stream", "8"),
        ("rhel", "rhel9", "9"),
        ("custom", "", ""),
    ];

    public static (string Osystem, string Series) Resolve(string? requested, string defaultOs, string defaultSeries)
    {
        if (string.IsNullOrWhiteSpace(requested))
            return (defaultOs, defaultSeries);
        var value = requested.Trim();
        string? os = null;
        if (value.Contains('/', StringComparison.Ordinal))
        {
            var parts = value.Split('/', 2);
            os = parts[0];
            value = parts[1];
        }

        foreach (var (knownOs, series, version) in Known)
        {
            if (os is not null && os != knownOs)
                continue;
            if (value == series || (version.Length > 0 && value == version))
                return (knownOs, series);
        }

        if (os is null && Known.FirstOrDefault(k => k.Os == value && k.Series.Length > 0) is { Os: not null } newest)
            return (newest.Os, newest.Series);
        if (os == "custom" && value.Length > 0)
            return ("custom", value);
        throw new ValidationException("distro_series", $"'{requested}' is not a valid distro_series.  It should be one of: {string.Join(", ", Known.Where(k => k.Series.Length > 0).Select(k => $"'{k.Os}/{k.Series}'"))}.");
    }
}
