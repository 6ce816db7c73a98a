using System.Globalization;
using System.Text.RegularExpressions;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Dns;

/// <summary>
/// Checks and normalises the data of a non-address record by type. A and AAAA records are
/// addresses of DNS resources (<c>dnsresources/</c> <c>ip_addresses</c>), not records here.
/// </summary>
internal static partial class DnsRecordData
{
    public static readonly string[] Types = ["CAA", "CNAME", "MX", "NS", "PTR", "SRV", "SSHFP", "TXT"];

    /// <summary>The upper-cased type, or null with an error on <c>rrtype</c>.</summary>
    public static string? CheckType(FieldErrors errors, string? rrtype)
    {
        var type = rrtype?.Trim().ToUpperInvariant() ?? "";
        if (type.Length == 0)
            errors.Add("rrtype", "This field is required.");
        else if (type is "A" or "AAAA")
            errors.Add("rrtype", "A and AAAA records are the addresses of DNS resources; set them with dnsresources (ip_addresses).");
        else if (!Types.Contains(type))
            errors.Add("rrtype", $"'{rrtype}' is not a supported record type; use one of {string.Join(", ", Types)}.");
        else
            return type;
        return null;
    }

    /// <summary>The normalised data for the type, or null with an error on <c>rrdata</c>.</summary>
    public static string? Check(FieldErrors errors, string type, string? rrdata)
    {
        var data = rrdata?.Trim() ?? "";
        if (data.Length == 0)
        {
            errors.Add("rrdata", "This field is required.");
            return null;
        }

        var parts = data.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var normalised = type switch
        {
            "CNAME" or "NS" or "PTR" => parts is [var host] && IsHostname(host) ? host : null,
            "MX" => parts is [var pref, var host] && IsUInt16(pref) && IsHostname(host) ? $"{int.Parse(pref, CultureInfo.InvariantCulture)} {host}" : null,
            "SRV" => parts is [var pri, var weight, var port, var target] && IsUInt16(pri) && IsUInt16(weight) && IsUInt16(port) && (target == "." || IsHostname(target))
                ? string.Join(' ', parts)
                : null,
            "SSHFP" => parts is [var algorithm, var fpType, var fingerprint] && IsUInt8(algorithm) && IsUInt8(fpType) && HexString().IsMatch(fingerprint) && fingerprint.Length % 2 == 0
                ? $"{algorithm} {fpType} {fingerprint.ToLowerInvariant()}"
                : null,
            "CAA" => parts.Length >= 3 && IsUInt8(parts[0]) && CaaTag().IsMatch(parts[1]) ? string.Join(' ', parts) : null,
            "TXT" => data.Length <= 4096 && !data.Any(char.IsControl) ? data : null,
            _ => null,
        };
        if (normalised is null)
            errors.Add("rrdata", $"Invalid {type} data: {Expected(type)}");
        return normalised;
    }

    private static string Expected(string type) => type switch
    {
        "MX" => "expected '<preference 0-65535> <hostname>'.",
        "SRV" => "expected '<priority> <weight> <port> <target hostname or .>' (numbers 0-65535).",
        "SSHFP" => "expected '<algorithm 0-255> <fingerprint type 0-255> <hex fingerprint>'.",
        "CAA" => "expected '<flags 0-255> <tag> <value>'.",
        "TXT" => "text of at most 4096 characters without control characters.",
        _ => "expected a hostname.",
    };

    private static bool IsHostname(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        return name.Length is > 0 and <= 253 && name.Split('.').All(HostLabel().IsMatch);
    }

    private static bool IsUInt16(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= ushort.MaxValue;

    private static bool IsUInt8(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= byte.MaxValue;

    [GeneratedRegex("^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")]
    private static partial Regex HostLabel();

    [GeneratedRegex("^[0-9A-Fa-f]+$")]
    private static partial Regex HexString();

    [GeneratedRegex("^[A-Za-z0-9]{1,15}$")]
    private static partial Regex CaaTag();
}
