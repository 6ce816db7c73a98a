namespace Anvil.Domain.Dns;

/// <summary>
/// Completes the names inside stored record data. The API stores data as the user wrote it and
/// MAAS writes it verbatim into the domain's zone file, where BIND completes relative names with
/// the zone origin; the plan carries absolute names, so the completion happens here instead.
/// </summary>
public static class DnsRecordData
{
    /// <summary>
    /// The data with its name fields absolute: the whole data of CNAME, NS, PTR and DNAME, the
    /// exchange of MX (<c>10 mail</c> → <c>10 mail.maas.</c>) and the target of SRV. A name ending
    /// in a dot is already absolute, <c>@</c> is the domain itself, and a lone <c>.</c> (no service)
    /// stays. Other types, and data with an unexpected number of fields, stay as written (trimmed).
    /// </summary>
    public static string Complete(string rrType, string rrData, string domain)
    {
        var fields = rrData.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var nameField = rrType.ToUpperInvariant() switch
        {
            "CNAME" or "NS" or "PTR" or "DNAME" when fields.Length == 1 => 0,
            "MX" when fields.Length == 2 => 1,
            "SRV" when fields.Length == 4 => 3,
            _ => -1,
        };
        if (nameField < 0)
        {
            return rrData.Trim();
        }

        fields[nameField] = AbsoluteName(fields[nameField], domain);
        return string.Join(' ', fields);
    }

    /// <summary>A name relative to <paramref name="domain"/> made absolute, lower case, with the trailing dot.</summary>
    public static string AbsoluteName(string name, string domain) => name switch
    {
        "." => ".",
        "@" => domain.ToLowerInvariant() + ".",
        _ when name.EndsWith('.') => name.ToLowerInvariant(),
        _ => name.ToLowerInvariant() + "." + domain.ToLowerInvariant() + ".",
    };
}
