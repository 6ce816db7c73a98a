using Anvil.Data.Machines;
using Anvil.Domain.Allocation;
using Anvil.Domain.Machines;

namespace Anvil.Region.Api.Machines;

/// <summary>Turns stored machines into what the constraint matcher looks at.</summary>
internal static class MachineCandidates
{
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
