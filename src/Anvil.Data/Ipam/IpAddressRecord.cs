using Anvil.Data.Users;
using Anvil.Domain.Ipam;

namespace Anvil.Data.Ipam;

/// <summary>A static address with what the <c>ipaddresses/</c> resource shows of it.</summary>
public sealed record IpAddressRecord(
    long Id,
    string Ip,
    IpAddressType AllocType,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    UserRecord? Owner,
    IpSubnetRecord? Subnet,
    IReadOnlyList<IpInterfaceRecord> Interfaces);

/// <summary>The subnet of an address, with its VLAN (fields as MAAS renders a subnet).</summary>
public sealed record IpSubnetRecord(
    long Id,
    string Name,
    string Description,
    string Cidr,
    string? GatewayIp,
    IReadOnlyList<string> DnsServers,
    int RdnsMode,
    bool AllowDns,
    bool AllowProxy,
    bool ActiveDiscovery,
    bool Managed,
    IReadOnlyList<string> DisabledBootArchitectures,
    string? Space,
    IpVlanRecord Vlan);

public sealed record IpVlanRecord(
    long Id,
    string? Name,
    int Vid,
    long FabricId,
    string Fabric,
    int Mtu,
    bool DhcpOn,
    string? ExternalDhcp,
    string? PrimaryRack,
    string? SecondaryRack,
    long? RelayVlanId,
    string? Space);

/// <summary>An interface an address is linked to; <see cref="SystemId"/> is null for unknown (node-less) interfaces.</summary>
public sealed record IpInterfaceRecord(long Id, string Name, string Type, string? MacAddress, bool Enabled, long? VlanId, string? SystemId);
