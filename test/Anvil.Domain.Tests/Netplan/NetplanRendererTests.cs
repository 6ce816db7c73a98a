using System.Net;
using Anvil.Domain.Netplan;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Netplan.NetplanTestData;

namespace Anvil.Domain.Tests.Netplan;

public sealed class NetplanRendererTests
{
    [Fact]
    public void Rendering_does_not_depend_on_the_order_of_interfaces_members_or_routes()
    {
        var lan = Subnet("10.0.0.0/24", "10.0.0.1");
        InterfaceConfig[] interfaces =
        [
            Nic("eth0", "52:54:00:00:00:01"),
            Nic("eth1", "52:54:00:00:00:02"),
            Bond("bond0", ["eth0", "eth1"], new BondConfig(), Static("10.0.0.5", lan, defaultGateway: true)),
            Vlan("bond0.10", "bond0", 10),
            Vlan("bond0.20", "bond0", 20),
        ];
        StaticRouteConfig[] routes =
        [
            Route("10.0.0.0/24", "172.16.0.0/16", "10.0.0.254"),
            Route("10.0.0.0/24", "172.16.0.0/12", "10.0.0.254"),
            Route("10.0.0.0/24", "172.16.0.0/16", "10.0.0.253"),
        ];
        var forward = NetworkOf(interfaces) with { Routes = routes };
        var reversed = NetworkOf([.. interfaces.Reverse().Select(i => i with { Parents = [.. i.Parents.Reverse()] })]) with { Routes = [.. routes.Reverse()] };

        NetplanRenderer.Render(reversed).ShouldBe(NetplanRenderer.Render(forward));
    }

    [Fact]
    public void Mac_addresses_are_written_lower_case_with_colons_and_read_back_as_strings()
    {
        // All-digit octets below 60: YAML 1.1 readers would take this as a base-60 integer unless quoted.
        var network = NetworkOf(Nic("eth0", "10-20-30-40-50-59"), Nic("eth1", "AA:BB:CC:DD:EE:0F"));

        var yaml = NetplanRenderer.Render(network);

        yaml.ShouldContain("macaddress: \"10:20:30:40:50:59\"");
        var ethernets = NetplanDocument.Parse(yaml).Network.Ethernets!;
        ethernets["eth0"].Match.Macaddress.ShouldBe("10:20:30:40:50:59");
        ethernets["eth1"].Match.Macaddress.ShouldBe("aa:bb:cc:dd:ee:0f");
    }

    [Fact]
    public void Balance_xor_bond_gets_a_hash_policy_but_no_lacp_rate()
    {
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01"),
            Bond("bond0", ["eth0"], new BondConfig { Mode = BondMode.BalanceXor, XmitHashPolicy = BondXmitHashPolicy.Encap2Plus3 }));

        var parameters = NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Bonds!["bond0"].Parameters!;

        parameters.Mode.ShouldBe("balance-xor");
        parameters.TransmitHashPolicy.ShouldBe("encap2+3");
        parameters.LacpRate.ShouldBeNull();
    }

    [Fact]
    public void Bond_without_parameters_leaves_them_to_netplan()
    {
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Bond("bond0", ["eth0"]));

        var bond = NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Bonds!["bond0"];

        bond.Parameters.ShouldBeNull();
        bond.Interfaces.ShouldBe(["eth0"]);
    }

    [Fact]
    public void Open_vswitch_bridge_is_marked_for_the_ovs_backend_without_linux_bridge_parameters()
    {
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01"),
            Bridge("br-ex", ["eth0"], new BridgeConfig { Type = BridgeType.Ovs, Stp = true }));

        var yaml = NetplanRenderer.Render(network);

        yaml.ShouldContain("      openvswitch: {}\n");
        var bridge = NetplanDocument.Parse(yaml).Network.Bridges!["br-ex"];
        bridge.Openvswitch.ShouldNotBeNull().ShouldBeEmpty();
        bridge.Parameters.ShouldBeNull();
    }

    [Fact]
    public void Bridge_without_parameters_is_a_standard_bridge_with_maas_defaults()
    {
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Bridge("br0", ["eth0"]));

        var bridge = NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Bridges!["br0"];

        bridge.Parameters!.Stp.ShouldBeFalse();
        bridge.Parameters.ForwardDelay.ShouldBe(15);
    }

    [Fact]
    public void Resolvers_are_listed_once_subnet_ones_first()
    {
        var a = Subnet("10.0.0.0/24", null, "10.0.0.2", "10.0.0.3");
        var b = Subnet("10.1.0.0/24", null, "10.0.0.3", "10.1.0.2");
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01", Static("10.0.0.5", a), Auto("10.1.0.5", b))) with
        {
            DnsServers = [IPAddress.Parse("10.1.0.2"), IPAddress.Parse("10.9.0.1")],
            SearchDomains = ["maas", "other", "maas"],
        };

        var nameservers = NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Ethernets!["eth0"].Nameservers!;

        nameservers.Addresses.ShouldBe(["10.0.0.2", "10.0.0.3", "10.1.0.2", "10.9.0.1"]);
        nameservers.Search.ShouldBe(["maas", "other"]);
    }

    [Fact]
    public void Interface_with_only_dhcp_gets_no_resolvers_or_search_domains()
    {
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01", DhcpLink())) with
        {
            DnsServers = [IPAddress.Parse("10.9.0.1")],
            SearchDomains = ["maas"],
        };

        NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Ethernets!["eth0"].Nameservers.ShouldBeNull();
    }

    [Fact]
    public void Routes_are_attached_to_dhcp_links_on_their_source_subnet_but_not_to_link_up_ones()
    {
        var dhcp = Subnet("10.0.0.0/24");
        var idle = Subnet("10.1.0.0/24");
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", DhcpLink(dhcp)),
            Nic("eth1", "52:54:00:00:00:02", LinkUp(idle))) with
        {
            Routes = [Route("10.0.0.0/24", "172.16.0.0/16", "10.0.0.254"), Route("10.1.0.0/24", "172.17.0.0/16", "10.1.0.254")],
        };

        var ethernets = NetplanDocument.Parse(NetplanRenderer.Render(network)).Network.Ethernets!;

        ethernets["eth0"].Routes.ShouldNotBeNull().ShouldHaveSingleItem().To.ShouldBe("172.16.0.0/16");
        ethernets["eth1"].Routes.ShouldBeNull();
    }

    [Fact]
    public void Sections_without_interfaces_are_left_out()
    {
        var yaml = NetplanRenderer.Render(NetworkOf(Nic("eth0", "52:54:00:00:00:01")));

        yaml.ShouldNotContain("bonds");
        yaml.ShouldNotContain("bridges");
        yaml.ShouldNotContain("vlans");
        yaml.ShouldStartWith("network:\n  version: 2\n  ethernets:\n");
    }

    [Fact]
    public void Machine_with_no_enabled_interfaces_renders_just_the_version()
    {
        var yaml = NetplanRenderer.Render(NetworkOf(Nic("eth0", "52:54:00:00:00:01") with { Enabled = false }));

        yaml.ShouldBe("network:\n  version: 2\n");
    }
}
