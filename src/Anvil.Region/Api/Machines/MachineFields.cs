using System.Net.NetworkInformation;
using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using Anvil.Domain.Naming;
using Anvil.Domain.Power;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Machines;

/// <summary>Validation of the machine fields that create and update share, with MAAS's field errors.</summary>
internal static class MachineFields
{
    /// <summary>
    /// Architectures accepted until boot images exist to define them (MAAS derives the list from
    /// imported images; Anvil accepts Debian's architectures with the generic subarchitecture).
    /// </summary>
    public static readonly IReadOnlyList<string> Architectures =
        ["amd64/generic", "arm64/generic", "armhf/generic", "i386/generic", "ppc64el/generic", "riscv64/generic", "s390x/generic"];

    /// <summary>Normalises <c>amd64</c> to <c>amd64/generic</c> and appends <c>subarchitecture</c> when given.</summary>
    public static string Architecture(string value, string? subarchitecture)
    {
        var arch = value.Contains('/', StringComparison.Ordinal) ? value : $"{value}/{(string.IsNullOrEmpty(subarchitecture) ? "generic" : subarchitecture)}";
        return Architectures.Contains(arch, StringComparer.Ordinal)
            ? arch
            : throw new ValidationException("architecture", $"'{value}' is not a valid architecture.  It should be one of: {string.Join(", ", Architectures.Select(a => $"'{a}'"))}.");
    }

    public static string Hostname(string value) =>
        Hostnames.IsValid(value)
            ? value.ToLowerInvariant()
            : throw new ValidationException("hostname", $"Invalid hostname: '{value}' is not a valid hostname (letters, digits and hyphens, labels of 1-63 characters).");

    public static string MinHweKernel(string value) =>
        value.Length == 0 || value.StartsWith("hwe-", StringComparison.Ordinal) || value.StartsWith("ga-", StringComparison.Ordinal)
            ? value
            : throw new ValidationException("min_hwe_kernel", "Kernel must start with 'hwe-' or 'ga-'.");

    /// <summary>MACs in MAAS's canonical form (lower-case, colon-separated); all bad ones reported at once.</summary>
    public static IReadOnlyList<string> MacAddresses(IReadOnlyList<string> values, string field = "mac_addresses")
    {
        var result = new List<string>();
        var bad = new List<string>();
        foreach (var raw in values)
        {
            var value = raw.Trim();
            if (TryNormaliseMac(value, out var mac))
                result.Add(mac);
            else
                bad.Add($"'{value}' is not a valid MAC address.");
        }

        if (bad.Count > 0)
            throw new ValidationException(new Dictionary<string, IReadOnlyList<string>> { [field] = bad });
        var duplicates = result.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new ValidationException(field, $"Duplicate MAC address(es): {string.Join(", ", duplicates)}.");
        return result;
    }

    public static bool TryNormaliseMac(string value, out string mac)
    {
        mac = "";
        var hex = value.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        if (hex.Length != 12 || !hex.All(Uri.IsHexDigit))
            return false;
        try
        {
            var bytes = PhysicalAddress.Parse(hex).GetAddressBytes();
            mac = string.Join(':', bytes.Select(b => b.ToString("x2")));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Collects <c>power_parameters_&lt;name&gt;</c> fields (or a JSON <c>power_parameters</c>) into one object.</summary>
    public static JsonObject? PowerParameters(ApiRequest request, JsonObject? current)
    {
        JsonObject? result = null;
        if (request.String("power_parameters") is { Length: > 0 } json)
        {
            try
            {
                result = JsonNode.Parse(json) as JsonObject ?? throw new ValidationException("power_parameters", "Power parameters must be a JSON object.");
            }
            catch (System.Text.Json.JsonException)
            {
                throw new ValidationException("power_parameters", "Power parameters must be valid JSON.");
            }
        }

        foreach (var key in request.Form.Keys.Where(k => k.StartsWith("power_parameters_", StringComparison.Ordinal) && k != "power_parameters_skip_check"))
        {
            result ??= current?.DeepClone().AsObject() ?? [];
            result[key["power_parameters_".Length..]] = request.String(key);
        }

        return result;
    }

    /// <summary>
    /// The power parameters to store when the request sets <c>power_type</c> or any power parameter:
    /// the given ones over <paramref name="current"/>, checked against the driver's schema (MAAS's
    /// messages under <c>power_parameters</c>, see <see cref="PowerParameterCheck"/>) unless
    /// <c>power_parameters_skip_check=true</c>. With no power type there are no parameters, as in MAAS.
    /// Null when the request changes neither.
    /// </summary>
    public static JsonObject? CheckedPowerParameters(ApiRequest request, string powerType, JsonObject? current)
    {
        var touched = request.Has("power_type") || request.Form.Keys.Any(k => k.StartsWith("power_parameters", StringComparison.Ordinal) && k != "power_parameters_skip_check");
        if (!touched)
            return null;
        var merged = PowerParameters(request, current) ?? current?.DeepClone().AsObject() ?? [];
        if (request.String("power_parameters_skip_check") == "true")
            return merged;
        if (powerType.Length == 0)
            return [];
        if (PowerDrivers.All.TryGetValue(powerType, out var driver))
        {
            var values = merged.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (string?)p.Value!.ToString(), StringComparer.Ordinal);
            if (PowerParameterCheck.Problems(driver, values) is { Count: > 0 } problems)
                throw new ValidationException(new Dictionary<string, IReadOnlyList<string>> { [PowerParameterCheck.Field] = problems });
        }

        return merged;
    }
}
