using System.Net;
using System.Net.Sockets;
using Anvil.Domain.Allocation;

namespace Anvil.Domain.Netplan;

/// <summary>
/// Renders a machine's configured network as a netplan version 2 document, the network config
/// curtin writes onto the deployed machine.
/// </summary>
/// <remarks>
/// The output is byte-for-byte stable for equal input: sections come as <c>version</c>,
/// <c>ethernets</c>, <c>bonds</c>, <c>bridges</c>, <c>vlans</c> (empty ones left out), interfaces
/// and bond/bridge members are sorted by name, routes by destination, and each interface's keys
/// come in a fixed order. Addresses, resolvers and search domains keep the order given, because
/// that order means something (primary address, preferred resolver).
/// The default route is written as <c>gateway4</c>/<c>gateway6</c>, as MAAS does: netplan calls
/// them deprecated and warns, but every netplan release reads them, while <c>to: default</c> is
/// unknown to the netplan of older releases a machine may still be deployed with.
/// </remarks>
public static class NetplanRenderer
{
    /// <summary>The netplan YAML for <paramref name="network"/>.</summary>
    /// <exception cref="Errors.ValidationException">The network is inconsistent; every problem is listed, keyed by interface name.</exception>
    public static string Render(MachineNetwork network)
    {
        NetworkValidator.Validate(network);

        var ethernets = new YamlMap();
        var bonds = new YamlMap();
        var bridges = new YamlMap();
        var vlans = new YamlMap();
        foreach (var iface in network.Interfaces.Where(i => i.Enabled).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var (section, body) = iface.Type switch
            {
                InterfaceType.Physical => (ethernets, Ethernet(iface)),
                InterfaceType.Bond => (bonds, Bond(iface)),
                InterfaceType.Bridge => (bridges, Bridge(iface)),
                InterfaceType.Vlan => (vlans, Vlan(iface)),
                _ => throw new InvalidOperationException($"Unhandled interface type {iface.Type}."),
            };
            AddAddressing(body, iface, network);
            section.Add(iface.Name, body);
        }

        var document = new YamlMap()
            .Add("version", 2)
            .AddIfAny("ethernets", ethernets)
            .AddIfAny("bonds", bonds)
            .AddIfAny("bridges", bridges)
            .AddIfAny("vlans", vlans);
        return YamlText.Write(new YamlMap().Add("network", document));
    }

    private static YamlMap Ethernet(InterfaceConfig iface) => new YamlMap()
        .Add("match", new YamlMap().Add("macaddress", Mac(iface.MacAddress!)))
        .Add("set-name", iface.Name)
        .AddMtu(iface);

    private static YamlMap Vlan(InterfaceConfig iface) => new YamlMap()
        .Add("id", iface.VlanId!.Value)
        .Add("link", iface.Parents[0])
        .AddMtu(iface);

    private static YamlMap Bond(InterfaceConfig iface)
    {
        var body = Members(iface);
        if (iface.Bond is not { } bond)
            return body;
        var parameters = new YamlMap().Add("mode", NetplanSpelling.Of(bond.Mode));
        // LACP rate and hashing only mean something in the modes that use them; elsewhere they are left out.
        if (bond.LacpRate is { } rate && bond.Mode == BondMode.Ieee8023ad)
            parameters.Add("lacp-rate", NetplanSpelling.Of(rate));
        if (bond.MiiMonitorInterval is { } miimon)
            parameters.Add("mii-monitor-interval", miimon);
        if (bond.UpDelay is { } up)
            parameters.Add("up-delay", up);
        if (bond.DownDelay is { } down)
            parameters.Add("down-delay", down);
        if (bond.XmitHashPolicy is { } policy && bond.Mode is BondMode.BalanceXor or BondMode.Ieee8023ad or BondMode.BalanceTlb)
            parameters.Add("transmit-hash-policy", NetplanSpelling.Of(policy));
        if (bond.NumGratArp is { } gratArp)
            parameters.Add("gratuitious-arp", gratArp); // sic: netplan's key is misspelt
        return body.Add("parameters", parameters);
    }

    private static YamlMap Bridge(InterfaceConfig iface)
    {
        var body = Members(iface);
        var bridge = iface.Bridge ?? new BridgeConfig();
        if (bridge.Type == BridgeType.Ovs)
            return body.Add("openvswitch", new YamlMap());
        var parameters = new YamlMap().Add("stp", bridge.Stp);
        if (bridge.ForwardDelay is { } delay)
            parameters.Add("forward-delay", delay);
        return body.Add("parameters", parameters);
    }

    private static YamlMap Members(InterfaceConfig iface)
    {
        var body = new YamlMap().AddIfAny("interfaces", [.. iface.Parents.Order(StringComparer.Ordinal)]);
        if (iface.MacAddress is { } mac)
            body.Add("macaddress", Mac(mac));
        return body.AddMtu(iface);
    }

    private static YamlMap AddMtu(this YamlMap body, InterfaceConfig iface) =>
        iface.Mtu is { } mtu ? body.Add("mtu", mtu) : body;

    private static string Mac(string mac) => MacAddressText.Normalize(mac)!;

    private static void AddAddressing(YamlMap body, InterfaceConfig iface, MachineNetwork network)
    {
        if (iface.AcceptRa is { } acceptRa)
            body.Add("accept-ra", acceptRa);

        var dhcp = iface.Links.Where(l => l.Mode == LinkMode.Dhcp).ToList();
        if (dhcp.Any(l => l.Subnet is null || IsV4(l.Subnet.Cidr)))
            body.Add("dhcp4", true);
        if (dhcp.Any(l => l.Subnet is { } s && !IsV4(s.Cidr)))
            body.Add("dhcp6", true);

        var addressed = iface.Links.Where(l => l.Mode is LinkMode.Static or LinkMode.Auto).ToList();
        body.AddIfAny("addresses", [.. addressed.Select(l => $"{l.Address}/{l.Subnet!.Cidr.PrefixLength}").Distinct(StringComparer.Ordinal)]);

        foreach (var link in addressed.Where(l => l.IsDefaultGateway))
            body.Add(IsV4(link.Subnet!.Cidr) ? "gateway4" : "gateway6", link.Subnet.Gateway!.ToString());

        var onSubnets = iface.Links.Where(l => l.Mode != LinkMode.LinkUp && l.Subnet is not null).Select(l => l.Subnet!.Cidr).ToHashSet();
        var routes = network.Routes
            .Where(r => onSubnets.Contains(r.Source))
            .DistinctBy(r => (r.Destination, r.Gateway, r.Metric))
            .OrderBy(r => r.Destination.BaseAddress.AddressFamily)
            .ThenBy(r => Convert.ToHexString(r.Destination.BaseAddress.GetAddressBytes()), StringComparer.Ordinal)
            .ThenBy(r => r.Destination.PrefixLength)
            .ThenBy(r => Convert.ToHexString(r.Gateway.GetAddressBytes()), StringComparer.Ordinal)
            .ThenBy(r => r.Metric)
            .Select(r => (YamlNode)new YamlMap().Add("to", r.Destination.ToString()).Add("via", r.Gateway.ToString()).Add("metric", r.Metric))
            .ToList();
        body.AddIfAny("routes", routes);

        // Resolvers go where there is a fixed address; DHCP brings its own.
        if (addressed.Count > 0)
        {
            var servers = addressed.SelectMany(l => l.Subnet!.DnsServers).Concat(network.DnsServers).Distinct().Select(a => a.ToString()).ToList();
            var nameservers = new YamlMap()
                .AddIfAny("addresses", servers)
                .AddIfAny("search", [.. network.SearchDomains.Distinct(StringComparer.Ordinal)]);
            body.AddIfAny("nameservers", nameservers);
        }
    }

    private static bool IsV4(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
}
