namespace Anvil.Data.Network;

public sealed record SpaceRecord(long Id, string Name, string Description);

public sealed record FabricRecord(long Id, string Name, string Description, string? ClassType);

/// <summary>A VLAN row with what its JSON needs: fabric and space names, rack system_ids, and whether it is its fabric's default (untagged) VLAN.</summary>
public sealed record VlanRecord(
    long Id,
    int Vid,
    string? Name,
    string Description,
    int Mtu,
    bool DhcpOn,
    string? ExternalDhcp,
    long FabricId,
    string FabricName,
    long? SpaceId,
    string? SpaceName,
    long? PrimaryRackId,
    string? PrimaryRack,
    long? SecondaryRackId,
    string? SecondaryRack,
    long? RelayVlanId,
    bool IsDefault,
    string? FabricClassType = null);

/// <summary>A subnet row; addresses are text (<c>host()</c> of the inet values).</summary>
public sealed record SubnetRecord(
    long Id,
    string Name,
    string Description,
    long VlanId,
    string Cidr,
    string? GatewayIp,
    string[] DnsServers,
    int RdnsMode,
    bool AllowDns,
    bool AllowProxy,
    bool ActiveDiscovery,
    bool Managed,
    string[] DisabledBootArchitectures);

public sealed record IpRangeRecord(long Id, long SubnetId, string Type, string StartIp, string EndIp, string Comment, long? UserId);

/// <summary>An address of a subnet as <c>ip_addresses</c> shows it, with the node it is linked to, if any.</summary>
public sealed record SubnetAddressRecord(
    string Ip,
    int AllocType,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    string? Username,
    string? SystemId,
    int? NodeType,
    string? Hostname,
    string? DomainName,
    string? InterfaceName);
