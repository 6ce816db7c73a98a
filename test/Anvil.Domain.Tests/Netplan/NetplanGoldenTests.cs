using Anvil.Domain.Netplan;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Netplan.NetplanTestData;

namespace Anvil.Domain.Tests.Netplan;

/// <summary>
/// Each rendering is frozen in a golden file and also read back through netplan's schema, so a
/// golden file that is itself wrongly shaped fails too.
/// </summary>
public sealed class NetplanGoldenTests
{
    [Fact]
    public void One_nic_with_a_static_address_gets_its_address_gateway_and_resolvers()
    {
        var subnet = Subnet("10.0.0.0/24", "10.0.0.1", "10.0.0.2");
        var network = NetworkOf(Nic("eth0", "52:54:00:12:34:56", Static("10.0.0.5", subnet, defaultGateway: true))) with
        {
            DnsServers = [System.Net.IPAddress.Parse("10.0.0.254")],
            SearchDomains = ["maas", "example.com"],
        };

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "one-nic-static.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        doc.Version.ShouldBe(2);
        doc.Bonds.ShouldBeNull();
        var eth0 = doc.Ethernets!.ShouldHaveSingleItem();
        eth0.Key.ShouldBe("eth0");
        eth0.Value.Match.Macaddress.ShouldBe("52:54:00:12:34:56");
        eth0.Value.SetName.ShouldBe("eth0");
        eth0.Value.Mtu.ShouldBe(1500);
        eth0.Value.Addresses.ShouldBe(["10.0.0.5/24"]);
        eth0.Value.Gateway4.ShouldBe("10.0.0.1");
        eth0.Value.Dhcp4.ShouldBeNull();
        eth0.Value.Nameservers!.Addresses.ShouldBe(["10.0.0.2", "10.0.0.254"]);
        eth0.Value.Nameservers.Search.ShouldBe(["maas", "example.com"]);
    }

    [Fact]
    public void Lacp_bond_of_two_nics_carries_two_vlans()
    {
        var storage = Subnet("10.100.0.0/24", "10.100.0.1", "10.100.0.2");
        var public_ = Subnet("10.200.0.0/24", "10.200.0.1");
        var lacp = new BondConfig
        {
            Mode = BondMode.Ieee8023ad,
            LacpRate = BondLacpRate.Fast,
            XmitHashPolicy = BondXmitHashPolicy.Layer3Plus4,
            MiiMonitorInterval = 100,
            UpDelay = 200,
            DownDelay = 200,
            NumGratArp = 1,
        };
        var network = NetworkOf(
            Nic("eth1", "52:54:00:00:00:02") with { Mtu = 9000 },
            Nic("eth0", "52:54:00:00:00:01") with { Mtu = 9000 },
            Bond("bond0", ["eth1", "eth0"], lacp, LinkUp()) with { MacAddress = "52:54:00:00:00:01", Mtu = 9000 },
            Vlan("bond0.200", "bond0", 200, Static("10.200.0.10", public_, defaultGateway: true)),
            Vlan("bond0.100", "bond0", 100, Static("10.100.0.10", storage)) with { Mtu = 9000 }) with
        {
            SearchDomains = ["maas"],
        };

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "bond-lacp-two-vlans.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        doc.Ethernets!.Keys.ShouldBe(["eth0", "eth1"]);
        doc.Ethernets.Values.ShouldAllBe(e => e.Addresses == null && e.Mtu == 9000);
        var bond = doc.Bonds!["bond0"];
        bond.Interfaces.ShouldBe(["eth0", "eth1"]);
        bond.Macaddress.ShouldBe("52:54:00:00:00:01");
        bond.Addresses.ShouldBeNull();
        bond.Parameters!.Mode.ShouldBe("802.3ad");
        bond.Parameters.LacpRate.ShouldBe("fast");
        bond.Parameters.TransmitHashPolicy.ShouldBe("layer3+4");
        bond.Parameters.MiiMonitorInterval.ShouldBe(100);
        bond.Parameters.UpDelay.ShouldBe(200);
        bond.Parameters.DownDelay.ShouldBe(200);
        bond.Parameters.GratuitiousArp.ShouldBe(1);
        doc.Vlans!.Keys.ShouldBe(["bond0.100", "bond0.200"]);
        doc.Vlans["bond0.100"].Id.ShouldBe(100);
        doc.Vlans["bond0.100"].Link.ShouldBe("bond0");
        doc.Vlans["bond0.100"].Addresses.ShouldBe(["10.100.0.10/24"]);
        doc.Vlans["bond0.100"].Gateway4.ShouldBeNull();
        doc.Vlans["bond0.200"].Id.ShouldBe(200);
        doc.Vlans["bond0.200"].Gateway4.ShouldBe("10.200.0.1");
        doc.Vlans["bond0.200"].Nameservers!.Addresses.ShouldBeNull();
        doc.Vlans["bond0.200"].Nameservers!.Search.ShouldBe(["maas"]);
    }

    [Fact]
    public void Bridge_on_an_active_backup_bond_holds_the_address()
    {
        var subnet = Subnet("192.168.1.0/24", "192.168.1.1", "192.168.1.1");
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01"),
            Nic("eth1", "52:54:00:00:00:02"),
            Bond("bond0", ["eth0", "eth1"], new BondConfig { Mode = BondMode.ActiveBackup }) with { MacAddress = "52:54:00:00:00:01" },
            Bridge("br0", ["bond0"], new BridgeConfig { Stp = true, ForwardDelay = 15 }, Static("192.168.1.20", subnet, defaultGateway: true)) with { MacAddress = "52:54:00:00:00:01" });

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "bridge-on-bond.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        var bond = doc.Bonds!["bond0"];
        bond.Parameters!.Mode.ShouldBe("active-backup");
        bond.Parameters.LacpRate.ShouldBeNull();
        bond.Parameters.TransmitHashPolicy.ShouldBeNull();
        bond.Addresses.ShouldBeNull();
        var bridge = doc.Bridges!["br0"];
        bridge.Interfaces.ShouldBe(["bond0"]);
        bridge.Openvswitch.ShouldBeNull();
        bridge.Parameters!.Stp.ShouldBeTrue();
        bridge.Parameters.ForwardDelay.ShouldBe(15);
        bridge.Addresses.ShouldBe(["192.168.1.20/24"]);
        bridge.Gateway4.ShouldBe("192.168.1.1");
        bridge.Nameservers!.Addresses.ShouldBe(["192.168.1.1"]);
    }

    [Fact]
    public void Static_routes_land_on_the_interface_on_their_source_subnet()
    {
        var lan = Subnet("10.0.0.0/24", "10.0.0.1");
        var lan6 = Subnet("2001:db8:1::/64", "2001:db8:1::1");
        var backend = Subnet("192.168.10.0/24");
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01",
                Static("10.0.0.5", lan, defaultGateway: true),
                Auto("2001:db8:1::5", lan6, defaultGateway: true)),
            Nic("eth1", "52:54:00:00:00:02", Static("192.168.10.5", backend))) with
        {
            Routes =
            [
                Route("192.168.10.0/24", "172.17.0.0/16", "192.168.10.254"),
                Route("192.168.10.0/24", "172.16.0.0/16", "192.168.10.254", metric: 100),
                Route("10.0.0.0/24", "10.50.0.0/16", "10.0.0.1", metric: 10),
                Route("2001:db8:1::/64", "2001:db8:99::/48", "2001:db8:1::1"),
                Route("10.9.9.0/24", "10.60.0.0/16", "10.9.9.1"),
            ],
        };

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "static-routes.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        var eth0 = doc.Ethernets!["eth0"];
        eth0.Addresses.ShouldBe(["10.0.0.5/24", "2001:db8:1::5/64"]);
        eth0.Gateway4.ShouldBe("10.0.0.1");
        eth0.Gateway6.ShouldBe("2001:db8:1::1");
        eth0.Routes!.Select(r => (r.To, r.Via, r.Metric)).ShouldBe([("10.50.0.0/16", "10.0.0.1", 10), ("2001:db8:99::/48", "2001:db8:1::1", 0)]);
        var eth1 = doc.Ethernets["eth1"];
        eth1.Gateway4.ShouldBeNull();
        eth1.Routes!.Select(r => (r.To, r.Via, r.Metric)).ShouldBe([("172.16.0.0/16", "192.168.10.254", 100), ("172.17.0.0/16", "192.168.10.254", 0)]);
        yaml.ShouldNotContain("10.60.0.0");
    }

    [Fact]
    public void Dhcp_links_ask_for_dhcp4_or_dhcp6_by_their_subnet_family()
    {
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", DhcpLink(Subnet("10.0.0.0/24", "10.0.0.1"))),
            Nic("eth1", "52:54:00:00:00:02", DhcpLink(Subnet("2001:db8:2::/64"))),
            Nic("eth2", "52:54:00:00:00:03", DhcpLink())) with
        {
            DnsServers = [System.Net.IPAddress.Parse("10.0.0.254")],
            SearchDomains = ["maas"],
        };

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "dhcp.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        doc.Ethernets!["eth0"].Dhcp4.ShouldBe(true);
        doc.Ethernets["eth0"].Dhcp6.ShouldBeNull();
        doc.Ethernets["eth1"].Dhcp6.ShouldBe(true);
        doc.Ethernets["eth1"].Dhcp4.ShouldBeNull();
        doc.Ethernets["eth2"].Dhcp4.ShouldBe(true);
        doc.Ethernets.Values.ShouldAllBe(e => e.Addresses == null && e.Gateway4 == null && e.Nameservers == null);
    }

    [Fact]
    public void Link_up_interfaces_come_up_without_addresses_and_disabled_ones_are_left_out()
    {
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", LinkUp(Subnet("10.0.0.0/24", "10.0.0.1"))) with { AcceptRa = false },
            Nic("eth1", "52:54:00:00:00:02"),
            Nic("eth2", "52:54:00:00:00:03", DhcpLink()) with { Enabled = false });

        var yaml = NetplanRenderer.Render(network);

        GoldenFile.ShouldMatch(yaml, "link-up.yaml");
        var doc = NetplanDocument.Parse(yaml).Network;
        doc.Ethernets!.Keys.ShouldBe(["eth0", "eth1"]);
        var eth0 = doc.Ethernets["eth0"];
        eth0.AcceptRa.ShouldBe(false);
        eth0.Addresses.ShouldBeNull();
        eth0.Dhcp4.ShouldBeNull();
        eth0.Gateway4.ShouldBeNull();
        eth0.Match.Macaddress.ShouldBe("52:54:00:00:00:01");
    }
}
