using Anvil.Dns.Client;
using Anvil.Dns.Wire;

namespace Anvil.Region.Dns;

/// <summary>
/// The RFC 2136 changes that turn what a server holds into what it should hold. Records compare
/// by owner, type, data and TTL, so a TTL change is a delete and an add. Deletes come first: BIND
/// applies a message in order, and an RRset briefly smaller is better than one with stale data.
/// Addresses are added before the records that point at names (BIND refuses an MX whose in-zone
/// target has no address yet), and the order is otherwise stable so equal inputs send equal messages.
/// </summary>
internal static class ZoneDiff
{
    public static IReadOnlyList<DnsUpdate> Compute(IReadOnlySet<DnsRecord> known, IReadOnlySet<DnsRecord> desired)
    {
        var changes = new List<DnsUpdate>();
        foreach (var r in known)
        {
            if (!desired.Contains(r))
                changes.Add(new DnsUpdate(DnsUpdateAction.Delete, r));
        }

        foreach (var r in desired.Where(r => !known.Contains(r)).OrderBy(Rank).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Data, StringComparer.Ordinal))
            changes.Add(new DnsUpdate(DnsUpdateAction.Add, r));

        return changes;
    }

    private static int Rank(DnsRecord r) => r.Type switch
    {
        DnsType.A or DnsType.AAAA => 0,
        DnsType.MX or DnsType.SRV or DnsType.NS => 2,
        _ => 1,
    };
}
