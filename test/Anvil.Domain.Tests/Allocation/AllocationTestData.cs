using Anvil.Domain.Allocation;
using Anvil.Domain.Machines;

namespace Anvil.Domain.Tests.Allocation;

/// <summary>Builders for forms, known names and candidates; every test makes its own data from these.</summary>
internal static class AllocationTestData
{
    public const long GB = 1_000_000_000;

    /// <summary>Repeated keys collect their values in order, like a query string.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Form(params (string Key, string Value)[] pairs)
    {
        var form = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!form.TryGetValue(key, out var list))
                form[key] = list = [];
            list.Add(value);
        }
        return form.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    public static KnownNames Known(
        string[]? zones = null,
        string[]? pools = null,
        string[]? tags = null,
        KnownSubnet[]? subnets = null,
        KnownVlan[]? vlans = null,
        string[]? architectures = null,
        string[]? users = null) => new()
        {
            Zones = new HashSet<string>(zones ?? ["default"], StringComparer.Ordinal),
            Pools = new HashSet<string>(pools ?? ["default"], StringComparer.Ordinal),
            Tags = new HashSet<string>(tags ?? [], StringComparer.Ordinal),
            Subnets = subnets ?? [],
            Vlans = vlans ?? [],
            Architectures = architectures is null ? null : new HashSet<string>(architectures, StringComparer.Ordinal),
            Users = users is null ? null : new HashSet<string>(users, StringComparer.Ordinal),
        };

    public static MachineConstraints Parse(KnownNames known, params (string Key, string Value)[] pairs) =>
        ConstraintForm.Parse(Form(pairs), known);

    public static MachineConstraints Parse(params (string Key, string Value)[] pairs) =>
        ConstraintForm.Parse(Form(pairs), Known());

    public static MachineConstraints ParseRead(KnownNames known, params (string Key, string Value)[] pairs) =>
        ConstraintForm.Parse(Form(pairs), known, ConstraintFormKind.Read);

    public static MachineCandidate Machine(long id = 1, string? hostname = null) => new()
    {
        Id = id,
        SystemId = $"sys{id:000}",
        Hostname = hostname ?? $"node{id}",
        Architecture = "amd64/generic",
        CpuCount = 4,
        CpuSpeed = 2000,
        Memory = 8192,
        Status = NodeStatus.READY,
        PowerState = PowerState.Off,
    };

    /// <summary>A disk holding '/' directly.</summary>
    public static BlockDeviceCandidate RootDisk(long id, long sizeGb, params string[] tags) => new()
    {
        Id = id,
        Name = $"sd{id}",
        Size = sizeGb * GB,
        Tags = tags,
        HoldsRoot = true,
        HasFilesystem = true,
    };

    /// <summary>An unused disk (no filesystem, no partition table).</summary>
    public static BlockDeviceCandidate Disk(long id, long sizeGb, params string[] tags) => new()
    {
        Id = id,
        Name = $"sd{id}",
        Size = sizeGb * GB,
        Tags = tags,
    };

    public static VlanCandidate Vlan(long id, int vid = 0, string fabric = "fabric-0", long fabricId = 0, string? fabricClass = null, string? space = null, long? spaceId = null) => new()
    {
        Id = id,
        Vid = vid,
        Name = vid == 0 ? "untagged" : $"vlan{vid}",
        FabricId = fabricId,
        FabricName = fabric,
        FabricClassType = fabricClass,
        SpaceName = space,
        SpaceId = spaceId,
    };

    public static InterfaceCandidate Nic(long id, VlanCandidate? vlan = null, int linkSpeed = 1000, string? mac = null, params SubnetLinkCandidate[] links) => new()
    {
        Id = id,
        Name = $"eth{id}",
        MacAddress = mac ?? $"52:54:00:00:00:{id:x2}",
        LinkSpeed = linkSpeed,
        Vlan = vlan,
        Links = links,
    };

    public static SubnetLinkCandidate Link(long subnetId, string cidr, params string[] ips) => new()
    {
        SubnetId = subnetId,
        Name = cidr,
        Cidr = cidr,
        IpAddresses = ips,
    };
}
