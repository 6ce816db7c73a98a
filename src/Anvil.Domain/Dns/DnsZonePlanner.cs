using System.Net;
using System.Net.Sockets;

namespace Anvil.Domain.Dns;

/// <summary>
/// Turns the network model into the zones and records MAAS would publish. Pure and deterministic:
/// the same snapshot always gives the same plan, zones and records sorted.
/// </summary>
/// <remarks>
/// Decisions, after MAAS's zone generator and its hostname-to-address mapping:
/// <list type="bullet">
/// <item>A node's hostname gets one address per family: the first (in the snapshot's preference
/// order) of the boot chain's addresses, or, when the boot chain has none, the first of all its
/// addresses. Every other address of the node is published as
/// <c>&lt;interface label&gt;.&lt;hostname&gt;.&lt;domain&gt;</c> (<see cref="DnsHostnames.InterfaceBased"/>),
/// except lease-discovered ones once the node has any other address. An interface name without a
/// letter (MAAS would make an empty label of it) is replaced by the address-based name.</item>
/// <item>Records of a domain that is not authoritative are not published, but the names still
/// get PTRs, as MAAS maps every node into the reverse zones.</item>
/// <item>A record goes into the most specific authoritative zone that contains its name, so a
/// name at or below a child domain's apex is served by the child zone.</item>
/// <item>A PTR is placed by the most specific subnet that holds the address (any rdns mode): a
/// disabled subnet inside an enabled one keeps its addresses out of the bigger zone. An address
/// with several names gets a PTR for each.</item>
/// <item>RFC 2317 glue is one CNAME per address that has a PTR, not a <c>$GENERATE</c> over the
/// whole classless range: the plan lists records, and unused addresses need no glue. The glue
/// parent zone is made only when no subnet's own zone already covers it; otherwise the glue goes
/// into that zone.</item>
/// <item>Identical records are published once; records of one name and type share the lowest
/// TTL among them, as BIND wants one TTL per RRset. Reverse zones and glue use the default TTL.</item>
/// </list>
/// </remarks>
public static class DnsZonePlanner
{
    public static DnsPlan Plan(DnsSnapshot snapshot)
    {
        var defaultTtl = snapshot.DefaultTtl;
        var domains = snapshot.Domains.ToDictionary(d => d.Id);
        var forward = new ZoneSet();
        var forwardZones = new List<DnsForwardZone>();
        foreach (var domain in snapshot.Domains)
        {
            var name = domain.Name.ToLowerInvariant();
            if (domain.Authoritative)
            {
                forward.Add(name, DnsZoneKind.Forward, domain.Ttl ?? defaultTtl);
            }
            else if (domain.ForwardServers.Count > 0)
            {
                forwardZones.Add(new DnsForwardZone(name, [.. domain.ForwardServers.Distinct()]));
            }
        }

        var names = new List<AddressName>();
        AddNodeNames(snapshot.NodeAddresses, domains, defaultTtl, names);
        foreach (var row in snapshot.ResourceAddresses)
        {
            if (domains.TryGetValue(row.DomainId, out var domain))
            {
                names.Add(new AddressName(Owner(row.Name, domain.Name), domain, row.Ip, row.AddressTtl ?? domain.Ttl ?? defaultTtl));
            }
        }

        foreach (var name in names)
        {
            if (name.Domain.Authoritative)
            {
                var type = name.Ip.AddressFamily == AddressFamily.InterNetwork ? "A" : "AAAA";
                forward.AddRecord(new DnsRecordPlan(name.Name, type, name.Ip.ToString(), name.Ttl));
            }
        }

        foreach (var row in snapshot.ResourceData)
        {
            if (domains.TryGetValue(row.DomainId, out var domain) && domain.Authoritative)
            {
                var data = DnsRecordData.Complete(row.RrType, row.RrData, domain.Name);
                forward.AddRecord(new DnsRecordPlan(Owner(row.Name, domain.Name), row.RrType.ToUpperInvariant(), data, row.Ttl ?? domain.Ttl ?? defaultTtl));
            }
        }

        var reverse = PlanReverse(snapshot.Subnets, names, defaultTtl);
        var zones = forward.Build().Concat(reverse.Build()).ToList();
        forwardZones.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new DnsPlan(zones, forwardZones);
    }

    private static void AddNodeNames(IReadOnlyList<DnsNodeAddressRow> rows, Dictionary<long, DnsDomainRow> domains, int defaultTtl, List<AddressName> names)
    {
        foreach (var node in rows.GroupBy(r => r.NodeId))
        {
            var first = node.First();
            if (!domains.TryGetValue(first.DomainId, out var domain))
            {
                continue;
            }

            var fqdn = first.Hostname.ToLowerInvariant() + "." + domain.Name.ToLowerInvariant();
            var ttl = first.AddressTtl ?? domain.Ttl ?? defaultTtl;
            var hasBootAddress = node.Any(r => r.IsBootInterface);
            IPAddress? v4 = null, v6 = null;
            foreach (var row in node)
            {
                if (row.IsBootInterface || !hasBootAddress)
                {
                    if (row.Ip.AddressFamily == AddressFamily.InterNetwork)
                    {
                        v4 ??= row.Ip;
                    }
                    else
                    {
                        v6 ??= row.Ip;
                    }
                }
            }

            foreach (var ip in new[] { v4, v6 })
            {
                if (ip is not null)
                {
                    names.Add(new AddressName(fqdn, domain, ip, ttl));
                }
            }

            var hasAssigned = node.Any(r => !r.Discovered);
            foreach (var row in node)
            {
                if (row.Ip.Equals(v4) || row.Ip.Equals(v6) || (row.Discovered && hasAssigned))
                {
                    continue;
                }

                var label = DnsHostnames.InterfaceBased(row.InterfaceName);
                if (label.Length == 0)
                {
                    label = DnsHostnames.IpBased(row.Ip);
                }

                names.Add(new AddressName(label + "." + fqdn, domain, row.Ip, ttl));
            }
        }
    }

    private static ZoneSet PlanReverse(IReadOnlyList<DnsSubnetRow> subnets, List<AddressName> names, int defaultTtl)
    {
        var reverse = new ZoneSet();
        foreach (var subnet in subnets.Where(s => s.RdnsMode != 0))
        {
            foreach (var zone in ReverseZones.OwnZones(subnet.Cidr))
            {
                reverse.Add(zone, DnsZoneKind.Reverse, defaultTtl);
            }
        }

        var ownZones = reverse.Names.ToList();
        foreach (var subnet in subnets.Where(s => s.RdnsMode == 2))
        {
            if (ReverseZones.GlueParentZone(subnet.Cidr) is { } parent && !ownZones.Any(zone => IsAtOrBelow(parent, zone)))
            {
                reverse.Add(parent, DnsZoneKind.Reverse, defaultTtl);
            }
        }

        var finder = new SubnetFinder(subnets);
        foreach (var address in names.GroupBy(n => n.Ip))
        {
            if (finder.MostSpecific(address.Key) is not { RdnsMode: not 0 } subnet)
            {
                continue;
            }

            var owner = ReverseZones.PtrName(address.Key, subnet.Cidr);
            foreach (var name in address)
            {
                reverse.AddRecord(new DnsRecordPlan(owner, "PTR", name.Name + ".", name.Ttl));
            }

            if (subnet.RdnsMode == 2 && ReverseZones.IsClassless(subnet.Cidr))
            {
                reverse.AddRecord(new DnsRecordPlan(ReverseZones.ReverseName(address.Key), "CNAME", owner + ".", defaultTtl));
            }
        }

        return reverse;
    }

    private static string Owner(string name, string domain) =>
        name == "@" ? domain.ToLowerInvariant() : name.ToLowerInvariant() + "." + domain.ToLowerInvariant();

    private static bool IsAtOrBelow(string name, string zone) =>
        name == zone || (name.Length > zone.Length && name.EndsWith(zone, StringComparison.Ordinal) && name[name.Length - zone.Length - 1] == '.');

    private sealed record AddressName(string Name, DnsDomainRow Domain, IPAddress Ip, int Ttl);

    /// <summary>Zones being filled; a record lands in the most specific zone that contains its name, or nowhere.</summary>
    private sealed class ZoneSet
    {
        private readonly Dictionary<string, (DnsZoneKind Kind, int Ttl, List<DnsRecordPlan> Records)> zones = new(StringComparer.Ordinal);

        public IEnumerable<string> Names => zones.Keys;

        public void Add(string name, DnsZoneKind kind, int ttl) => zones.TryAdd(name, (kind, ttl, []));

        public void AddRecord(DnsRecordPlan record)
        {
            var lookup = zones.GetAlternateLookup<ReadOnlySpan<char>>();
            var candidate = record.Name.AsSpan();
            while (true)
            {
                if (lookup.TryGetValue(candidate, out var zone))
                {
                    zone.Records.Add(record);
                    return;
                }

                var dot = candidate.IndexOf('.');
                if (dot < 0)
                {
                    return;
                }

                candidate = candidate[(dot + 1)..];
            }
        }

        public IEnumerable<DnsZonePlan> Build() =>
            zones.OrderBy(z => z.Key, StringComparer.Ordinal)
                .Select(z => new DnsZonePlan(z.Key, z.Value.Kind, z.Value.Ttl, Normalize(z.Value.Records)));

        private static List<DnsRecordPlan> Normalize(List<DnsRecordPlan> records)
        {
            records.Sort(static (a, b) =>
            {
                var order = string.CompareOrdinal(a.Name, b.Name);
                order = order != 0 ? order : string.CompareOrdinal(a.Type, b.Type);
                return order != 0 ? order : string.CompareOrdinal(a.Data, b.Data);
            });
            var normalized = new List<DnsRecordPlan>(records.Count);
            for (var start = 0; start < records.Count;)
            {
                var end = start;
                var ttl = int.MaxValue;
                for (; end < records.Count && records[end].Name == records[start].Name && records[end].Type == records[start].Type; end++)
                {
                    ttl = Math.Min(ttl, records[end].Ttl);
                }

                for (var i = start; i < end; i++)
                {
                    if (i == start || records[i].Data != records[i - 1].Data)
                    {
                        normalized.Add(records[i].Ttl == ttl ? records[i] : records[i] with { Ttl = ttl });
                    }
                }

                start = end;
            }

            return normalized;
        }
    }

    /// <summary>The longest-prefix subnet of an address: one lookup per prefix length in use.</summary>
    private sealed class SubnetFinder
    {
        private readonly Dictionary<(AddressFamily Family, int Prefix, UInt128 Network), DnsSubnetRow> byNetwork = [];
        private readonly (AddressFamily Family, int Prefix)[] prefixes;

        public SubnetFinder(IReadOnlyList<DnsSubnetRow> subnets)
        {
            foreach (var subnet in subnets)
            {
                var family = subnet.Cidr.BaseAddress.AddressFamily;
                byNetwork.TryAdd((family, subnet.Cidr.PrefixLength, ReverseZones.Value(subnet.Cidr.BaseAddress)), subnet);
            }

            prefixes = [.. byNetwork.Keys.Select(k => (k.Family, k.Prefix)).Distinct().OrderByDescending(p => p.Prefix)];
        }

        public DnsSubnetRow? MostSpecific(IPAddress address)
        {
            var family = address.AddressFamily;
            var value = ReverseZones.Value(address);
            var bits = family == AddressFamily.InterNetwork ? 32 : 128;
            foreach (var (prefixFamily, prefix) in prefixes)
            {
                if (prefixFamily != family)
                {
                    continue;
                }

                var network = prefix == 0 ? UInt128.Zero : value & (UInt128.MaxValue << (bits - prefix)) & Mask(bits);
                if (byNetwork.TryGetValue((family, prefix, network), out var subnet))
                {
                    return subnet;
                }
            }

            return null;
        }

        private static UInt128 Mask(int bits) => bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
    }
}
