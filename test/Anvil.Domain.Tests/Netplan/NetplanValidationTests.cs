using Anvil.Domain.Errors;
using Anvil.Domain.Netplan;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Netplan.NetplanTestData;

namespace Anvil.Domain.Tests.Netplan;

public sealed class NetplanValidationTests
{
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Errors(MachineNetwork network) =>
        Should.Throw<ValidationException>(() => NetplanRenderer.Render(network)).FieldErrors;

    [Fact]
    public void Unknown_parent_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Bond("bond0", ["eth0", "eth9"])));

        errors["bond0"].ShouldBe(["Parent 'eth9' is not an interface of this machine."]);
    }

    [Fact]
    public void Interfaces_sitting_on_each_other_in_a_cycle_are_refused()
    {
        var errors = Errors(NetworkOf(Bridge("br0", ["br1"]), Bridge("br1", ["br0"])));

        errors["br0"].ShouldBe(["Interfaces sit on each other in a cycle: br0 -> br1 -> br0."]);
    }

    [Fact]
    public void Interface_that_is_its_own_parent_is_refused()
    {
        var errors = Errors(NetworkOf(Bridge("br0", ["br0"])));

        errors["br0"].ShouldContain("Interface is its own parent.");
    }

    [Fact]
    public void Vlan_without_parent_is_refused()
    {
        var errors = Errors(NetworkOf(Vlan("eth0.10", "eth0", 10) with { Parents = [] }));

        errors["eth0.10"].ShouldBe(["A VLAN interface needs a parent."]);
    }

    [Fact]
    public void Vlan_with_two_parents_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Nic("eth1", "52:54:00:00:00:02"), Vlan("v10", "eth0", 10) with { Parents = ["eth0", "eth1"] }));

        errors["v10"].ShouldBe(["A VLAN interface has exactly one parent."]);
    }

    [Theory]
    [InlineData(null, "A VLAN interface needs a VLAN id.")]
    [InlineData(0, "VLAN id 0 is outside 1-4094.")]
    [InlineData(4095, "VLAN id 4095 is outside 1-4094.")]
    public void Vlan_without_a_valid_id_is_refused(int? vid, string message)
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Vlan("eth0.x", "eth0", 1) with { VlanId = vid }));

        errors["eth0.x"].ShouldBe([message]);
    }

    [Fact]
    public void Bond_without_parents_is_refused()
    {
        var errors = Errors(NetworkOf(Bond("bond0", [])));

        errors["bond0"].ShouldBe(["A bond needs at least one parent."]);
    }

    [Fact]
    public void Bond_over_something_other_than_physical_interfaces_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Vlan("eth0.5", "eth0", 5), Bond("bond0", ["eth0.5"])));

        errors["bond0"].ShouldBe(["Bond member 'eth0.5' is not a physical interface."]);
    }

    [Fact]
    public void Interface_in_two_bonds_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Bond("bond0", ["eth0"]), Bond("bond1", ["eth0"])));

        errors["eth0"].ShouldBe(["Interface is a member of more than one bond or bridge (bond0, bond1)."]);
    }

    [Fact]
    public void Link_address_outside_its_subnet_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", Static("10.0.1.5", Subnet("10.0.0.0/24")))));

        errors["eth0"].ShouldBe(["Address 10.0.1.5 is not in its subnet 10.0.0.0/24."]);
    }

    [Fact]
    public void Link_address_of_the_other_family_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", Static("2001:db8::5", Subnet("10.0.0.0/24")))));

        errors["eth0"].ShouldBe(["Address 2001:db8::5 is not in its subnet 10.0.0.0/24."]);
    }

    [Fact]
    public void Subnet_gateway_outside_the_subnet_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", Static("10.0.0.5", Subnet("10.0.0.0/24", "10.0.9.1")))));

        errors["eth0"].ShouldBe(["Gateway 10.0.9.1 is not in its subnet 10.0.0.0/24."]);
    }

    [Theory]
    [InlineData(LinkMode.Static, "A static link has no address.")]
    [InlineData(LinkMode.Auto, "An auto link has no address.")]
    public void Static_or_auto_link_without_an_address_is_refused(LinkMode mode, string message)
    {
        var link = new LinkConfig { Mode = mode, Subnet = Subnet("10.0.0.0/24") };

        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", link)));

        errors["eth0"].ShouldBe([message]);
    }

    [Fact]
    public void Static_link_without_a_subnet_is_refused()
    {
        var link = new LinkConfig { Mode = LinkMode.Static, Address = System.Net.IPAddress.Parse("10.0.0.5") };

        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", link)));

        errors["eth0"].ShouldBe(["A static link has no subnet."]);
    }

    [Fact]
    public void Physical_interface_without_a_mac_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01") with { MacAddress = null }));

        errors["eth0"].ShouldBe(["A physical interface needs a MAC address."]);
    }

    [Fact]
    public void Malformed_mac_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00")));

        errors["eth0"].ShouldBe(["'52:54:00:00:00' is not a MAC address."]);
    }

    [Fact]
    public void Physical_interface_with_parents_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Nic("eth1", "52:54:00:00:00:02") with { Parents = ["eth0"] }));

        errors["eth1"].ShouldBe(["A physical interface cannot have parents."]);
    }

    [Fact]
    public void Duplicate_interface_names_are_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01"), Nic("eth0", "52:54:00:00:00:02")));

        errors["eth0"].ShouldBe(["Interface name 'eth0' is used more than once."]);
    }

    [Fact]
    public void Non_positive_mtu_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01") with { Mtu = 0 }));

        errors["eth0"].ShouldBe(["MTU 0 is not positive."]);
    }

    [Fact]
    public void Enabled_interface_on_a_disabled_parent_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01") with { Enabled = false }, Vlan("eth0.7", "eth0", 7)));

        errors["eth0.7"].ShouldBe(["Parent 'eth0' is disabled."]);
    }

    [Fact]
    public void Two_links_carrying_the_ipv4_default_gateway_are_refused()
    {
        var errors = Errors(NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", Static("10.0.0.5", Subnet("10.0.0.0/24", "10.0.0.1"), defaultGateway: true)),
            Nic("eth1", "52:54:00:00:00:02", Static("10.1.0.5", Subnet("10.1.0.0/24", "10.1.0.1"), defaultGateway: true))));

        errors["eth0"].ShouldBe(["More than one link carries the IPv4 default gateway (eth0, eth1)."]);
    }

    [Fact]
    public void One_default_gateway_per_family_is_accepted()
    {
        var network = NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", Static("10.0.0.5", Subnet("10.0.0.0/24", "10.0.0.1"), defaultGateway: true)),
            Nic("eth1", "52:54:00:00:00:02", Static("2001:db8::5", Subnet("2001:db8::/64", "2001:db8::1"), defaultGateway: true)));

        Should.NotThrow(() => NetplanRenderer.Render(network));
    }

    [Fact]
    public void Default_gateway_on_a_subnet_without_one_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", Static("10.0.0.5", Subnet("10.0.0.0/24"), defaultGateway: true))));

        errors["eth0"].ShouldBe(["The default gateway link's subnet has no gateway."]);
    }

    [Fact]
    public void Default_gateway_on_a_dhcp_link_is_refused()
    {
        var errors = Errors(NetworkOf(Nic("eth0", "52:54:00:00:00:01", DhcpLink(Subnet("10.0.0.0/24", "10.0.0.1")) with { IsDefaultGateway = true })));

        errors["eth0"].ShouldBe(["Only a static or auto link can carry the default gateway."]);
    }

    [Fact]
    public void Route_gateway_outside_its_source_subnet_is_refused()
    {
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01")) with { Routes = [Route("10.0.0.0/24", "172.16.0.0/16", "10.5.0.1")] };

        var errors = Errors(network);

        errors["routes"].ShouldBe(["Route to 172.16.0.0/16 has gateway 10.5.0.1 outside its source subnet 10.0.0.0/24."]);
    }

    [Fact]
    public void Route_mixing_address_families_is_refused()
    {
        var network = NetworkOf(Nic("eth0", "52:54:00:00:00:01")) with { Routes = [Route("10.0.0.0/24", "2001:db8::/32", "10.0.0.1")] };

        var errors = Errors(network);

        errors["routes"].ShouldBe(["Route from 10.0.0.0/24 to 2001:db8::/32 mixes address families."]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Errors(NetworkOf(
            Nic("eth0", "52:54:00:00:00:01", Static("10.0.1.5", Subnet("10.0.0.0/24"))),
            Bond("bond0", []),
            Vlan("vlan5", "nope", 5)));

        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["bond0", "eth0", "vlan5"]);
    }
}
