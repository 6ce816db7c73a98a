using System.Net;
using Anvil.Dns.Wire;
using Anvil.Domain.Dns;

namespace Anvil.Region.Dns;

/// <summary>
/// A zone's records in the canonical form both sides of a diff share. The zone file's own records
/// (SOA, apex NS and the NS name's glue) belong to the zone's structure, not to the database, so
/// they are left out on both sides.
/// </summary>
internal sealed class ZoneRecords(string nameServer, IReadOnlyList<IPAddress> nameServerAddresses)
{
    private readonly HashSet<string> glue = [.. nameServerAddresses.Select(a => a.ToString())];

    /// <summary>
    /// The planned records, canonical; data the wire format cannot carry (a bad TXT or MX someone
    /// stored) is reported and skipped so that one bad record never blocks the rest. BIND keeps
    /// one TTL per RRset, so every record of an RRset gets the smallest TTL planned for it.
    /// </summary>
    public HashSet<DnsRecord> Desired(DnsZonePlan zone, Action<DnsRecordPlan, string> skipped)
    {
        var records = new List<DnsRecord>(zone.Records.Count);
        foreach (var plan in zone.Records)
        {
            if (!DnsTypes.TryParse(plan.Type, out var type))
            {
                skipped(plan, $"unknown record type '{plan.Type}'");
                continue;
            }

            try
            {
                var record = DnsRecord.Create(plan.Name, type, (uint)Math.Max(0, plan.Ttl), plan.Data);
                if (!IsStructural(zone.Name, record))
                    records.Add(record);
            }
            catch (FormatException e)
            {
                skipped(plan, e.Message);
            }
        }

        var ttls = records.GroupBy(r => (r.Name, r.Type)).ToDictionary(g => g.Key, g => g.Min(r => r.Ttl));
        return [.. records.Select(r => r with { Ttl = ttls[(r.Name, r.Type)] })];
    }

    /// <summary>What a zone transfer returned, without the structural records.</summary>
    public HashSet<DnsRecord> Known(string zone, IEnumerable<DnsRecord> transferred) =>
        [.. transferred.Where(r => !IsStructural(zone, r))];

    private bool IsStructural(string zone, DnsRecord r) =>
        r.Type == DnsType.SOA
        || (r.Type == DnsType.NS && string.Equals(r.Name, zone, StringComparison.OrdinalIgnoreCase))
        || (r.Type is DnsType.A or DnsType.AAAA && string.Equals(r.Name, nameServer, StringComparison.OrdinalIgnoreCase) && glue.Contains(r.Data));
}
