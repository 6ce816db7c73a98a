using System.Text.RegularExpressions;
using Anvil.Data.Dns;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Region.Api.Framework;
using Npgsql;

namespace Anvil.Region.Api.Dns;

/// <summary>The naming rules of domains and DNS resources, and how an fqdn or name+domain picks a domain.</summary>
internal static partial class DnsNames
{
    /// <summary>TTLs are at most a week, as MAAS's models allow.</summary>
    public const int MaxTtl = 604_800;

    public static bool IsDomainName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(DomainLabel().IsMatch);

    /// <summary><c>@</c> (the domain itself), or labels of letters, digits, '-' and '_' with an optional leading <c>*</c> label.</summary>
    public static bool IsResourceName(string name)
    {
        if (name == "@")
            return true;
        var labels = name.Split('.');
        return name.Length <= 253 && labels.Select((label, i) => (label == "*" && i == 0) || ResourceLabel().IsMatch(label)).All(ok => ok);
    }

    /// <summary>A comma or space separated list of IP addresses, normalised; errors go to <paramref name="field"/>.</summary>
    public static string[] ParseAddresses(FieldErrors errors, string field, IEnumerable<string> values)
    {
        var addresses = new List<string>();
        foreach (var text in values.SelectMany(v => v.Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)))
        {
            if (IpAddress.TryParse(text, out var address))
                addresses.Add(address.ToString());
            else
                errors.Add(field, $"'{text}' is not a valid IP address.");
        }

        return [.. addresses.Distinct()];
    }

    /// <summary>A TTL field: absent keeps <paramref name="current"/>, empty clears it.</summary>
    public static int? ReadTtl(FieldErrors errors, ApiRequest request, string field, int? current, int min = 0)
    {
        if (!request.Has(field))
            return current;
        var text = request.String(field)?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var ttl))
            errors.Add(field, "Enter a whole number.");
        else if (ttl < min || ttl > MaxTtl)
            errors.Add(field, $"Ensure this value is between {min} and {MaxTtl}.");
        else
            return ttl;
        return null;
    }

    /// <summary>A domain by id or name, or a 404.</summary>
    public static async Task<DomainRecord> DomainAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        await DomainStore.FindAsync(c, tx, key, ct) ?? throw new NotFoundException("No Domain matches the given query.");

    /// <summary>
    /// The (name, domain) a form names: <c>fqdn</c>, split at the longest existing domain suffix
    /// (the domain itself is <c>@</c>), or <c>name</c> with <c>domain</c> (default domain when absent).
    /// Null, with field errors, when neither resolves.
    /// </summary>
    public static async Task<(string Name, long DomainId)?> ReadNameAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx)
    {
        var fqdn = request.String("fqdn")?.Trim().TrimEnd('.');
        var name = request.String("name")?.Trim();
        if (!string.IsNullOrEmpty(fqdn))
        {
            var split = await SplitFqdnAsync(c, tx, fqdn, request.Aborted);
            if (split is null)
                errors.Add("fqdn", $"No domain matches '{fqdn}'.");
            else if (!IsResourceName(split.Value.Name))
                errors.Add("fqdn", $"Invalid resource name: {split.Value.Name}.");
            return errors.Any ? null : split;
        }

        if (string.IsNullOrEmpty(name))
        {
            errors.Add("fqdn", "Either fqdn or name (with domain) must be given.");
            return null;
        }

        if (!IsResourceName(name))
            errors.Add("name", $"Invalid resource name: {name}.");
        var domainKey = request.String("domain");
        var domain = string.IsNullOrEmpty(domainKey)
            ? await DomainStore.DefaultAsync(c, tx, request.Aborted)
            : await DomainStore.FindAsync(c, tx, domainKey, request.Aborted);
        if (domain is null)
            errors.Add("domain", "Select a valid choice. That choice is not one of the available choices.");
        return errors.Any ? null : (name, domain!.Id);
    }

    public static async Task<(string Name, long DomainId)?> SplitFqdnAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string fqdn, CancellationToken ct)
    {
        foreach (var (id, domain) in await DomainStore.NamesAsync(c, tx, ct))
        {
            if (fqdn.Equals(domain, StringComparison.OrdinalIgnoreCase))
                return ("@", id);
            if (fqdn.Length > domain.Length + 1 && fqdn.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
                return (fqdn[..^(domain.Length + 1)], id);
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DomainLabel();

    [GeneratedRegex("^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")]
    private static partial Regex ResourceLabel();
}
