using System.Globalization;

namespace Anvil.Domain.Scripts;

/// <summary>
/// What a node has that a script's <c>for_hardware</c> can name: PCI and USB ids as
/// <c>vvvv:pppp</c> (hex), the kernel's modaliases, and the hardware_info key/value pairs
/// (<c>system_vendor</c>, <c>mainboard_product</c>, <c>mainboard_firmware_version</c> …).
/// </summary>
public sealed record NodeHardware(
    IReadOnlyList<string> PciIds,
    IReadOnlyList<string> UsbIds,
    IReadOnlyList<string> Modaliases,
    IReadOnlyDictionary<string, string> HardwareInfo)
{
    public static NodeHardware None { get; } = new([], [], [], new Dictionary<string, string>());
}

/// <summary>
/// A script's <c>for_hardware</c> list (MAAS's Script.for_hardware): <c>modalias:&lt;glob&gt;</c>,
/// <c>pci:VVVV:PPPP</c>, <c>usb:VVVV:PPPP</c>, or a hardware_info pair such as
/// <c>system_vendor:Dell Inc.</c>. A script with such a list runs only on nodes where one entry matches.
/// </summary>
public static class ForHardware
{
    /// <summary>MAAS's message for an entry of no known form.</summary>
    public static string InvalidEntryMessage(string entry) =>
        $"Hardware identifier '{entry}' must be a modalias, PCI ID, USB ID, system vendor, system product, system version, mainboard vendor, or mainboard product.";

    // MAAS selects scripts by node metadata keys with these prefixes (ScriptSet's hardware pairs).
    private static readonly string[] HardwareInfoPrefixes = ["system_", "mainboard_", "firmware_", "chassis_"];

    /// <summary>
    /// Whether a script with <paramref name="forHardware"/> applies to a node with
    /// <paramref name="hardware"/>: always when the list is empty, else when any entry matches.
    /// Modalias globs are case-sensitive (fnmatch on Linux); PCI/USB ids are not; hardware_info
    /// values must be equal.
    /// </summary>
    public static bool Matches(IReadOnlyList<string> forHardware, NodeHardware hardware)
    {
        ArgumentNullException.ThrowIfNull(forHardware);
        ArgumentNullException.ThrowIfNull(hardware);
        if (forHardware.Count == 0)
            return true;
        foreach (var entry in forHardware)
        {
            if (EntryMatches(entry, hardware))
                return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="entry"/> has one of the accepted forms (MAAS's ScriptForm check, plus any hardware_info key).</summary>
    public static bool IsValidEntry(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            return false;
        var kind = entry[..colon].ToLowerInvariant();
        var value = entry[(colon + 1)..];
        return kind switch
        {
            "modalias" => value.Length > 0,
            "pci" or "usb" => IsHexPair(value),
            _ => IsHardwareInfoKey(kind),
        };
    }

    /// <summary>
    /// Reads a <c>for_hardware</c> form value as MAAS does: a JSON list of strings, or a comma-separated
    /// string. Returns null (and the error) when it is neither.
    /// </summary>
    public static IReadOnlyList<string>? ParseList(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{') || trimmed.StartsWith('"'))
        {
            try
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(trimmed);
                if (node is System.Text.Json.Nodes.JsonArray array && array.All(e => e is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out _)))
                    return array.Select(e => e!.GetValue<string>()).ToList();
                if (node is System.Text.Json.Nodes.JsonValue single && single.TryGetValue<string>(out var s))
                    return s.Split(',');
                error = "Must be a list or string";
                return null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON: a plain comma-separated string, as MAAS falls back to.
            }
        }

        return text.Split(',');
    }

    private static bool EntryMatches(string entry, NodeHardware hardware)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            return false;
        var kind = entry[..colon];
        var value = entry[(colon + 1)..];
        switch (kind.ToLowerInvariant())
        {
            case "modalias":
                return hardware.Modaliases.Any(m => ForHardwareGlob.IsMatch(value, m, ignoreCase: false));
            case "pci":
                return IdMatches(value, hardware.PciIds, hardware.Modaliases, "pci:v0000{0}d0000{1}sv*sd*bc*sc*i*");
            case "usb":
                return IdMatches(value, hardware.UsbIds, hardware.Modaliases, "usb:v{0}p{1}d*dc*dsc*dp*ic*isc*ip*");
            default:
                return IsHardwareInfoKey(kind)
                    && hardware.HardwareInfo.TryGetValue(kind, out var actual)
                    && string.Equals(actual, value, StringComparison.Ordinal);
        }
    }

    /// <summary>A <c>VVVV:PPPP</c> id (globs allowed) against the node's ids, or against its modaliases as MAAS matches them.</summary>
    private static bool IdMatches(string value, IReadOnlyList<string> ids, IReadOnlyList<string> modaliases, string modaliasFormat)
    {
        var parts = value.Split(':');
        if (parts.Length != 2)
            return false;
        if (ids.Any(id => ForHardwareGlob.IsMatch(value, id, ignoreCase: true)))
            return true;
        var pattern = string.Format(CultureInfo.InvariantCulture, modaliasFormat, parts[0].ToUpperInvariant(), parts[1].ToUpperInvariant());
        return modaliases.Any(m => ForHardwareGlob.IsMatch(pattern, m, ignoreCase: false));
    }

    private static bool IsHexPair(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2 && parts.All(p => p.Length == 4 && p.All(char.IsAsciiHexDigit));
    }

    private static bool IsHardwareInfoKey(string kind) =>
        HardwareInfoPrefixes.Any(p => kind.StartsWith(p, StringComparison.Ordinal) && kind.Length > p.Length)
        && kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
