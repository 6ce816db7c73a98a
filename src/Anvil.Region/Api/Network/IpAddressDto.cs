using Anvil.Data.Ipam;
using Anvil.Domain.Ipam;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Network;

/// <summary>An address as MAAS's <c>ipaddresses/</c> renders it (§3.12 of the MAAS facts).</summary>
internal sealed record IpAddressDto(
    int AllocType,
    string AllocTypeName,
    string Created,
    string Ip,
    UserDto? Owner,
    IReadOnlyList<IpAddressInterfaceDto> InterfaceSet,
    IpAddressSubnetDto? Subnet)
{
    public static IpAddressDto From(IpAddressRecord address) => new(
        (int)address.AllocType,
        IpAddressTypes.NameOf(address.AllocType),
        ApiJson.FormatDateTime(address.Created),
        address.Ip,
        address.Owner is { } owner ? UserDto.From(owner) : null,
        address.Interfaces.Select(IpAddressInterfaceDto.From).ToList(),
        address.Subnet is { } subnet ? IpAddressSubnetDto.From(subnet) : null);
}

internal sealed record IpAddressInterfaceDto(long Id, string Name, string Type, string? MacAddress, bool Enabled, long? Vlan, string? SystemId, string? ResourceUri)
{
    public static IpAddressInterfaceDto From(IpInterfaceRecord i) => new(
        i.Id,
        i.Name,
        i.Type,
        i.MacAddress,
        i.Enabled,
        i.VlanId,
        i.SystemId,
        i.SystemId is null ? null : $"{ResourceUris.Prefix}nodes/{i.SystemId}/interfaces/{i.Id}/");
}

/// <summary>
/// The subnet object inside an address. The <c>subnets/</c> resource renders the same fields; this
/// copy keeps <c>ipaddresses/</c> independent of it.
/// </summary>
internal sealed record IpAddressSubnetDto(
    long Id,
    string Name,
    string Description,
    IpAddressVlanDto Vlan,
    string Space,
    string Cidr,
    string? GatewayIp,
    IReadOnlyList<string> DnsServers,
    int RdnsMode,
    bool ActiveDiscovery,
    bool AllowDns,
    bool AllowProxy,
    bool Managed,
    IReadOnlyList<string> DisabledBootArchitectures,
    string ResourceUri)
{
    public static IpAddressSubnetDto From(IpSubnetRecord s) => new(
        s.Id, s.Name, s.Description, IpAddressVlanDto.From(s.Vlan), s.Space ?? "undefined", s.Cidr, s.GatewayIp, s.DnsServers, s.RdnsMode,
        s.ActiveDiscovery, s.AllowDns, s.AllowProxy, s.Managed, s.DisabledBootArchitectures, ResourceUris.Item("subnets", s.Id));
}

internal sealed record IpAddressVlanDto(
    long Id,
    string Name,
    int Vid,
    string Fabric,
    long FabricId,
    int Mtu,
    string? PrimaryRack,
    string? SecondaryRack,
    bool DhcpOn,
    string? ExternalDhcp,
    object? RelayVlan,
    string Space,
    string ResourceUri)
{
    public static IpAddressVlanDto From(IpVlanRecord v) => new(
        v.Id,
        v.Name ?? (v.Vid == 0 ? "untagged" : v.Vid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        v.Vid,
        v.Fabric,
        v.FabricId,
        v.Mtu,
        v.PrimaryRack,
        v.SecondaryRack,
        v.DhcpOn,
        v.ExternalDhcp,
        v.RelayVlanId is { } relay ? new { id = relay, resource_uri = ResourceUris.Item("vlans", relay) } : null,
        v.Space ?? "undefined",
        ResourceUris.Item("vlans", v.Id));
}
