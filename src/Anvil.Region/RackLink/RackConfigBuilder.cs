using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Data.Racks;
using Anvil.Domain.Ipam;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;

namespace Anvil.Region.RackLink;

/// <summary>
/// Turns a rack's <see cref="RackDhcpSnapshot"/> into the config it serves. Each served subnet is
/// bound to the rack interface on its VLAN and answered from the rack's address in that subnet (or
/// its first address on that VLAN); a subnet of a relayed VLAN has no interface and is answered
/// from the rack's address on the VLAN the relay forwards to. Snippets go global → subnet → host.
/// </summary>
internal static class RackConfigBuilder
{
    public static DhcpConfigDto Build(RackDhcpSnapshot snapshot)
    {
        var vlans = snapshot.Vlans.ToDictionary(v => v.VlanId);
        var subnets = new List<DhcpSubnetDto>();
        foreach (var subnet in snapshot.Subnets)
        {
            if (!vlans.TryGetValue(subnet.VlanId, out var vlan))
                continue; // a subnet of the VLAN a relay forwards to, read only for the rack's own address
            var cidr = IpNetwork.Parse(subnet.Cidr);
            string? iface;
            RackAddress? server;
            if (vlan.RelayedThrough is { } relayVlan)
            {
                iface = null;
                server = snapshot.RackAddresses.FirstOrDefault(a => a.VlanId == relayVlan);
            }
            else
            {
                server = snapshot.RackAddresses.FirstOrDefault(a => a.SubnetId == subnet.SubnetId)
                    ?? snapshot.RackAddresses.FirstOrDefault(a => a.VlanId == subnet.VlanId);
                iface = server?.Interface;
            }

            if (server is null)
                continue; // the rack has no address to answer from; nothing it could serve correctly
            var ranges = snapshot.DynamicRanges.Where(r => r.SubnetId == subnet.SubnetId).Select(r => new[] { r.Start, r.End }).ToList();
            subnets.Add(new DhcpSubnetDto(
                subnet.SubnetId,
                cidr.ToString(),
                iface,
                server.Ip,
                ranges,
                subnet.Gateway,
                subnet.DnsServers,
                [],
                snapshot.DomainName,
                [snapshot.DomainName],
                vlan.Mtu,
                subnet.DisabledBootArchitectures,
                MergeOptions(snapshot.Snippets.Where(s => s.SubnetId == subnet.SubnetId))));
        }

        var served = subnets.Select(s => s.SubnetId).ToHashSet();
        var hosts = snapshot.Hosts
            .Where(h => snapshot.Subnets.Any(s => served.Contains(s.SubnetId) && IpNetwork.Parse(s.Cidr).Contains(IpAddress.Parse(h.Ip))))
            .Select(h => new DhcpHostDto(h.Mac, h.Ip, h.Hostname, MergeOptions(snapshot.Snippets.Where(s => s.NodeId == h.NodeId))))
            .ToList();
        var global = MergeOptions(snapshot.Snippets.Where(s => s.NodeId is null && s.SubnetId is null));
        return new DhcpConfigDto(subnets, hosts, global, DefaultLeaseSeconds: 600, PxeLeaseSeconds: 30);
    }

    /// <summary>The content digest racks compare to know whether anything changed.</summary>
    public static string Version(DhcpConfigDto config) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(config, LinkJson.Options)))[..16];

    /// <summary>The snippets' option lists as one JSON list; a later snippet's option replaces an earlier one with the same code.</summary>
    private static string MergeOptions(IEnumerable<SnippetRow> snippets)
    {
        var byCode = new SortedDictionary<int, JsonElement>();
        foreach (var snippet in snippets)
        {
            using var doc = JsonDocument.Parse(snippet.Options);
            foreach (var option in doc.RootElement.EnumerateArray())
            {
                if (option.TryGetProperty("code", out var code) && code.TryGetInt32(out var number))
                    byCode[number] = option.Clone();
            }
        }

        return JsonSerializer.Serialize(byCode.Values);
    }
}
