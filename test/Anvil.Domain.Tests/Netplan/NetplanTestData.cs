using System.Net;
using Anvil.Domain.Netplan;

namespace Anvil.Domain.Tests.Netplan;

/// <summary>Short builders for interfaces, links and subnets; every test makes its own network from these.</summary>
internal static class NetplanTestData
{
    public static SubnetConfig Subnet(string cidr, string? gateway = null, params string[] dns) => new()
    {
        Cidr = IPNetwork.Parse(cidr),
        Gateway = gateway is null ? null : IPAddress.Parse(gateway),
        DnsServers = [.. dns.Select(IPAddress.Parse)],
    };

    public static LinkConfig Static(string address, SubnetConfig subnet, bool defaultGateway = false) => new()
    {
        Mode = LinkMode.Static,
        Address = IPAddress.Parse(address),
        Subnet = subnet,
        IsDefaultGateway = defaultGateway,
    };

    public static LinkConfig Auto(string address, SubnetConfig subnet, bool defaultGateway = false) =>
        Static(address, subnet, defaultGateway) with { Mode = LinkMode.Auto };

    public static LinkConfig DhcpLink(SubnetConfig? subnet = null) => new() { Mode = LinkMode.Dhcp, Subnet = subnet };

    public static LinkConfig LinkUp(SubnetConfig? subnet = null) => new() { Mode = LinkMode.LinkUp, Subnet = subnet };

    public static InterfaceConfig Nic(string name, string mac, params LinkConfig[] links) => new()
    {
        Name = name,
        Type = InterfaceType.Physical,
        MacAddress = mac,
        Mtu = 1500,
        Links = links,
    };

    public static InterfaceConfig Bond(string name, string[] parents, BondConfig? bond = null, params LinkConfig[] links) => new()
    {
        Name = name,
        Type = InterfaceType.Bond,
        Parents = parents,
        Bond = bond,
        Mtu = 1500,
        Links = links,
    };

    public static InterfaceConfig Bridge(string name, string[] parents, BridgeConfig? bridge = null, params LinkConfig[] links) => new()
    {
        Name = name,
        Type = InterfaceType.Bridge,
        Parents = parents,
        Bridge = bridge,
        Mtu = 1500,
        Links = links,
    };

    public static InterfaceConfig Vlan(string name, string parent, int vid, params LinkConfig[] links) => new()
    {
        Name = name,
        Type = InterfaceType.Vlan,
        Parents = [parent],
        VlanId = vid,
        Mtu = 1500,
        Links = links,
    };

    public static StaticRouteConfig Route(string source, string destination, string gateway, int metric = 0) => new()
    {
        Source = IPNetwork.Parse(source),
        Destination = IPNetwork.Parse(destination),
        Gateway = IPAddress.Parse(gateway),
        Metric = metric,
    };

    public static MachineNetwork NetworkOf(params InterfaceConfig[] interfaces) => new() { Interfaces = interfaces };
}
