using Anvil.Dns.Client;
using Anvil.Dns.Wire;

namespace Anvil.Region.Dns;

/// <summary>
/// The RFC 2136 changes that turn what a server holds into what it should hold. Records compare
/// by owner, type, data and TTL, so a TTL change is a delete and an add. Deletes come first: BIND
/// applies a message in order, and an RRset briefly smaller is better than one with stale data.
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

        foreach (var r in desired)
        {
            if (!known.Contains(r))
                changes.Add(new DnsUpdate(DnsUpdateAction.Add, r));
        }

        return changes;
    }
}
