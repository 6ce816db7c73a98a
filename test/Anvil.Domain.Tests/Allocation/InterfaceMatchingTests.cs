using Anvil.Domain.Allocation;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Allocation.AllocationTestData;

namespace Anvil.Domain.Tests.Allocation;

public class InterfaceMatchingTests
{
    private static KnownNames Networks() => Known(
        subnets: [new KnownSubnet(1, "pub", "10.0.0.0/24", 10), new KnownSubnet(2, "san", "10.9.0.0/24", 11)],
        vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0", SpaceName: "public", SpaceId: 1), new KnownVlan(11, 30, "storage", 1, "fabric-1", "40g")]);

    private static MachineCandidate TwoNics() => Machine(9, "host9") with
    {
        Interfaces =
        [
            Nic(1, Vlan(10, 0, "fabric-0", 0, space: "public", spaceId: 1), 1000, null, Link(1, "10.0.0.0/24", "10.0.0.5")) with { Tags = ["mgmt", "sriov"] },
            Nic(2, Vlan(11, 30, "fabric-1", 1, "40g"), 40000, null, Link(2, "10.9.0.0/24")) with { Type = "bond", Name = "bond0" },
        ],
    };

    private static IReadOnlyList<KeyValuePair<string, IReadOnlyList<long>>>? Labels(string interfaces) =>
        ConstraintMatcher.Match(Parse(Networks(), ("interfaces", interfaces)), TwoNics())?.Interfaces;

    [Theory]
    [InlineData("a:id=1", 1)]
    [InlineData("a:name=bond0", 2)]
    [InlineData("a:type=bond", 2)]
    [InlineData("a:fabric=fabric-1", 2)]
    [InlineData("a:fabric=1", 2)]
    [InlineData("a:fabric=class_type:40g", 2)]
    [InlineData("a:fabric_class=40g", 2)]
    [InlineData("a:ip=10.0.0.5", 1)]
    [InlineData("a:subnet=san", 2)]
    [InlineData("a:subnet=cidr:10.0.0.0/24", 1)]
    [InlineData("a:subnet=ip:10.9.0.200", 2)]
    [InlineData("a:subnet_cidr=10.9.0.0/24", 2)]
    [InlineData("a:space=public", 1)]
    [InlineData("a:space=undefined", 2)]
    [InlineData("a:vlan=vid:30", 2)]
    [InlineData("a:vlan=name:untagged", 1)]
    [InlineData("a:vid=30", 2)]
    [InlineData("a:vid=untagged", 1)]
    [InlineData("a:tag=mgmt", 1)]
    [InlineData("a:tag=mgmt&&sriov", 1)]
    [InlineData("a:link_speed=10000", 2)]
    [InlineData("a:mode=unconfigured", 2)]
    [InlineData("a:not_id=1", 2)]
    [InlineData("a:not_vid=0", 2)]
    [InlineData("a:not_ip=10.0.0.5", 2)]
    [InlineData("a:not_subnet=pub", 2)]
    [InlineData("a:not_tag=mgmt", 2)]
    [InlineData("a:not_space=public", 2)]
    [InlineData("a:not_fabric_class=40g", 1)]
    [InlineData("a:name=eth1,type=physical", 1)]
    public void Each_key_selects_the_interfaces_it_describes(string interfaces, long expected)
    {
        var labels = Labels(interfaces);

        labels.ShouldNotBeNull();
        labels.Single().Value.ShouldBe([expected]);
    }

    [Theory]
    [InlineData("a:name=eth7")]
    [InlineData("a:vid=99")]
    [InlineData("a:tag=mgmt&&nope")]
    [InlineData("a:link_speed=100000")]
    [InlineData("a:ip=10.0.0.6")]
    [InlineData("a:name=eth1,type=bond")]
    [InlineData("a:hostname=other")]
    [InlineData("a:not_name=eth1,not_name=bond0")]
    [InlineData("a:name=eth1;b:fabric=nowhere")]
    public void Machine_fails_when_a_label_has_no_interface(string interfaces)
    {
        Labels(interfaces).ShouldBeNull();
    }

    [Fact]
    public void Repeated_values_of_a_key_are_any_of()
    {
        Labels("a:name=eth1,name=bond0")!.Single().Value.ShouldBe([1L, 2L]);
    }

    [Fact]
    public void Hostname_key_selects_every_interface_of_that_machine()
    {
        Labels("a:hostname=host9")!.Single().Value.ShouldBe([1L, 2L]);
    }

    [Fact]
    public void Every_label_is_reported_with_all_matching_interface_ids()
    {
        var labels = Labels("public:space=public;storage:vid=30;any:link_speed=1000")!;

        labels.Select(l => l.Key).ShouldBe(["public", "storage", "any"]);
        labels[0].Value.ShouldBe([1L]);
        labels[1].Value.ShouldBe([2L]);
        labels[2].Value.ShouldBe([1L, 2L]);
    }

    [Fact]
    public void Constraints_by_type_maps_labels_to_interface_ids_and_verbose_adds_per_machine_maps()
    {
        var match = ConstraintMatcher.Match(Parse(Networks(), ("interfaces", "pub:space=public")), TwoNics())!;

        var plain = match.ToConstraintsByType();
        plain.Interfaces!["pub"].ShouldBe([1L]);
        plain.Storage.ShouldBeNull();
        plain.VerboseInterfaces.ShouldBeNull();

        var verbose = match.ToConstraintsByType(verbose: true);
        verbose.VerboseInterfaces!["pub"]["9"].ShouldBe([1L]);
        verbose.VerboseStorage.ShouldBeEmpty();
    }

    [Fact]
    public void Interface_without_vlan_fails_vlan_keys_but_passes_their_negations()
    {
        var m = Machine() with { Interfaces = [Nic(1)] };

        ConstraintMatcher.Matches(Parse(("interfaces", "a:vid=0")), m).ShouldBeFalse();
        ConstraintMatcher.Matches(Parse(("interfaces", "a:not_vid=0")), m).ShouldBeTrue();
    }
}
