using Anvil.Domain.Scripts;

namespace Anvil.Data.Machines;

/// <summary>Everything the API renders for one node, read in a handful of set-based queries.</summary>
public sealed class MachineView
{
    public long Id { get; set; }
    public string SystemId { get; set; } = "";
    public string Hostname { get; set; } = "";
    public string Description { get; set; } = "";
    public int NodeType { get; set; }
    public int Status { get; set; }
    public long? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public bool Locked { get; set; }
    public long DomainId { get; set; }
    public string DomainName { get; set; } = "";
    public bool DomainAuthoritative { get; set; }
    public int? DomainTtl { get; set; }
    public bool DomainIsDefault { get; set; }
    public long ZoneId { get; set; }
    public string ZoneName { get; set; } = "";
    public string ZoneDescription { get; set; } = "";
    public long? PoolId { get; set; }
    public string? PoolName { get; set; }
    public string? PoolDescription { get; set; }
    public string Architecture { get; set; } = "";
    public string MinHweKernel { get; set; } = "";
    public string? HweKernel { get; set; }
    public int CpuCount { get; set; }
    public int CpuSpeed { get; set; }
    public int Memory { get; set; }
    public long? SwapSize { get; set; }
    public string Osystem { get; set; } = "";
    public string DistroSeries { get; set; } = "";
    public bool EphemeralDeploy { get; set; }
    public bool EnableHwSync { get; set; }
    public bool EnableKernelCrashDump { get; set; }
    public bool IsDpu { get; set; }
    public bool DisableIpv4 { get; set; }
    public bool Netboot { get; set; }
    public string ErrorDescription { get; set; } = "";
    public string AgentName { get; set; } = "";
    public string? HardwareUuid { get; set; }
    public string? BiosBootMethod { get; set; }
    public string PowerType { get; set; } = "";
    public string PowerState { get; set; } = "unknown";
    public string? StatusMessage { get; set; }
    public string? StatusAction { get; set; }
    public int? AddressTtl { get; set; }
    public string? ParentSystemId { get; set; }
    public long? CurrentCommissioningResultId { get; set; }
    public long? CurrentTestingResultId { get; set; }
    public long? CurrentInstallationResultId { get; set; }
    /// <summary>jsonb as text; rendered verbatim.</summary>
    public string WorkloadAnnotations { get; set; } = "{}";
    public string HardwareInfo { get; set; } = "{}";
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }

    public List<string> TagNames { get; } = [];
    public List<InterfaceView> Interfaces { get; } = [];
    public List<BlockDeviceView> BlockDevices { get; } = [];
    public List<NodeDeviceView> Devices { get; } = [];

    /// <summary>The node's storage configuration (block devices, partitions, file systems, groups), when read with it.</summary>
    public Anvil.Domain.Storage.StorageModel? Storage { get; set; }

    /// <summary>The results of the current commissioning and testing sets.</summary>
    public List<NodeScriptResult> ScriptResults { get; } = [];

    /// <summary>Every VLAN and subnet, shared by all machines of one listing, for rendering interfaces' nested objects.</summary>
    public NetworkSnapshot Network { get; set; } = NetworkSnapshot.Empty;
}

public sealed class InterfaceView
{
    public long Id { get; set; }
    public long NodeId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "physical";
    public string? MacAddress { get; set; }
    public bool Enabled { get; set; }
    public string[] Tags { get; set; } = [];
    public int? Mtu { get; set; }
    public string? Vendor { get; set; }
    public string? Product { get; set; }
    public string? FirmwareVersion { get; set; }
    public bool LinkConnected { get; set; }
    public int InterfaceSpeed { get; set; }
    public int LinkSpeed { get; set; }
    public int NumaNode { get; set; }
    public int SriovMaxVf { get; set; }
    public long? VlanId { get; set; }
    /// <summary>The bond/bridge parameters (jsonb as text).</summary>
    public string Params { get; set; } = "{}";
    public bool? AcceptRa { get; set; }
    public long? DefaultGatewayV4IpId { get; set; }
    public long? DefaultGatewayV6IpId { get; set; }
    /// <summary>Sorted names.</summary>
    public List<string> Parents { get; } = [];
    /// <summary>Sorted names.</summary>
    public List<string> Children { get; } = [];
    /// <summary>The addresses linked to the interface, by id (links and observed leases).</summary>
    public List<InterfaceAddressView> Addresses { get; } = [];
}

/// <summary>A <c>staticipaddress</c> row linked to an interface: a link (AUTO, STICKY, USER_RESERVED, DHCP) or an observed lease (DISCOVERED).</summary>
public sealed record InterfaceAddressView(long Id, long InterfaceId, int AllocType, string? Ip, long? SubnetId, bool Temporary);

public sealed class BlockDeviceView
{
    public long Id { get; set; }
    public long NodeId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "physical";
    public string Model { get; set; } = "";
    public string Serial { get; set; } = "";
    public string? IdPath { get; set; }
    public long Size { get; set; }
    public int BlockSize { get; set; }
    public string[] Tags { get; set; } = [];
    public bool IsBootDisk { get; set; }
    public string? Uuid { get; set; }
    public string? FirmwareVersion { get; set; }
    public int NumaNode { get; set; }
    public List<PartitionView> Partitions { get; } = [];
}

public sealed class PartitionView
{
    public long Id { get; set; }
    public long BlockdeviceId { get; set; }
    public int Number { get; set; }
    public long Size { get; set; }
    public string? Uuid { get; set; }
    public bool Bootable { get; set; }
    public string[] Tags { get; set; } = [];
}

public sealed class NodeDeviceView
{
    public long Id { get; set; }
    public long NodeId { get; set; }
    public int Bus { get; set; }
    public int HardwareType { get; set; }
    public string VendorId { get; set; } = "";
    public string ProductId { get; set; } = "";
    public string VendorName { get; set; } = "";
    public string ProductName { get; set; } = "";
    public string CommissioningDriver { get; set; } = "";
}
