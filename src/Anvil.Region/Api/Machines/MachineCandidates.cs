using Anvil.Data.Machines;
using Anvil.Data.Network;
using Anvil.Domain.Allocation;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Api.Network;
using Npgsql;

namespace Anvil.Region.Api.Machines;

/// <summary>Turns stored machines into what the constraint matcher looks at.</summary>
internal static class MachineCandidates
{
    /// <summary>Every subnet and VLAN, for resolving the <c>subnets=</c>/<c>vlans=</c> specifiers.</summary>
    public static async Task<(IReadOnlyList<KnownSubnet> Subnets, IReadOnlyList<KnownVlan> Vlans)> KnownNetworkAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var vlans = await VlanStore.ListAsync(c, null, ct);
        var subnets = await SubnetStore.ListAsync(c, null, ct);
        return (
            [.. subnets.Select(s => new KnownSubnet(s.Id, s.Name, s.Cidr, s.VlanId))],
            [.. vlans.Select(v => new KnownVlan(v.Id, v.Vid, NetworkRenderer.NameOf(v), v.FabricId, v.FabricName, v.FabricClassType, v.SpaceId, v.SpaceName))]);
    }

    private static VlanCandidate Vlan(VlanRecord v) => new()
    {
        Id = v.Id,
        Vid = v.Vid,
        Name = NetworkRenderer.NameOf(v),
        FabricId = v.FabricId,
        FabricName = v.FabricName,
        FabricClassType = v.FabricClassType,
        SpaceId = v.SpaceId,
        SpaceName = v.SpaceName,
    };

    /// <summary>One entry per linked subnet, with the addresses the interface has on it.</summary>
    private static List<SubnetLinkCandidate> Links(MachineView m, InterfaceView nic) =>
    [
        .. nic.Addresses
            .Where(a => a.SubnetId is not null && InterfaceLinks.ModeOf(a) is not null)
            .GroupBy(a => a.SubnetId!.Value)
            .Where(g => m.Network.Subnets.ContainsKey(g.Key))
            .Select(g =>
            {
                var subnet = m.Network.Subnets[g.Key];
                return new SubnetLinkCandidate
                {
                    SubnetId = subnet.Id,
                    Name = subnet.Name,
                    Cidr = subnet.Cidr,
                    SpaceName = m.Network.Vlans.TryGetValue(subnet.VlanId, out var vlan) ? vlan.SpaceName : null,
                    IpAddresses = [.. g.Where(a => a.Ip is not null).Select(a => a.Ip!)],
                };
            }),
    ];

    public static MachineCandidate From(MachineView m)
    {
        var bootDisk = m.BlockDevices.FirstOrDefault(d => d.IsBootDisk) ?? m.BlockDevices.FirstOrDefault(d => d.Type == "physical");
        return new MachineCandidate
        {
            Id = m.Id,
            SystemId = m.SystemId,
            Hostname = m.Hostname,
            DomainName = m.DomainName,
            Architecture = m.Architecture,
            CpuCount = m.CpuCount,
            CpuSpeed = m.CpuSpeed,
            Memory = m.Memory,
            Status = (NodeStatus)m.Status,
            OwnerName = m.OwnerName,
            PowerState = m.PowerState,
            ZoneName = m.ZoneName,
            PoolName = m.PoolName ?? "",
            Tags = m.TagNames,
            AgentName = m.AgentName,
            EphemeralDeploy = m.EphemeralDeploy,
            BlockDevices = m.BlockDevices.Select(d => new BlockDeviceCandidate
            {
                Id = d.Id,
                Name = d.Name,
                Size = d.Size,
                Tags = d.Tags,
                HoldsRoot = ReferenceEquals(d, bootDisk),
                HasPartitionTable = d.Partitions.Count > 0,
                Partitions = d.Partitions.Select(p => new PartitionCandidate { Id = p.Id, Size = p.Size, Tags = p.Tags }).ToList(),
            }).ToList(),
            Interfaces = m.Interfaces.Select(i => new InterfaceCandidate
            {
                Id = i.Id,
                Name = i.Name,
                Type = i.Type,
                MacAddress = i.MacAddress ?? "",
                Tags = i.Tags,
                LinkSpeed = i.LinkSpeed,
                Enabled = i.Enabled,
                Vlan = i.VlanId is { } vlanId && m.Network.Vlans.TryGetValue(vlanId, out var vlan) ? Vlan(vlan) : null,
                Links = Links(m, i),
            }).ToList(),
            Devices = m.Devices.Select(d => new NodeDeviceCandidate
            {
                VendorId = d.VendorId,
                ProductId = d.ProductId,
                VendorName = d.VendorName,
                ProductName = d.ProductName,
                CommissioningDriver = d.CommissioningDriver,
            }).ToList(),
        };
    }
}
