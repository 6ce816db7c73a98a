using Anvil.Domain.Allocation;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Allocation.AllocationTestData;

namespace Anvil.Domain.Tests.Allocation;

public class ConstraintMatcherTests
{
    private static void AssertSelects(MachineConstraints constraints, MachineCandidate matching, MachineCandidate other)
    {
        ConstraintMatcher.Matches(constraints, matching).ShouldBeTrue();
        ConstraintMatcher.Match(constraints, matching).ShouldNotBeNull();
        ConstraintMatcher.Matches(constraints, other).ShouldBeFalse();
        ConstraintMatcher.Match(constraints, other).ShouldBeNull();
    }

    [Fact]
    public void No_constraints_match_every_machine()
    {
        ConstraintMatcher.Matches(Parse(), Machine()).ShouldBeTrue();
    }

    [Fact]
    public void Name_matches_hostname_or_hostname_dot_domain()
    {
        var m = Machine(hostname: "web1") with { DomainName = "lab" };

        AssertSelects(Parse(("name", "web1")), m, Machine(hostname: "web2"));
        AssertSelects(Parse(("name", "web1.lab")), m, m with { DomainName = "prod" });
    }

    [Fact]
    public void System_id_matches_any_of_the_given()
    {
        AssertSelects(Parse(("system_id", "sys002"), ("system_id", "sys001")), Machine(1), Machine(3));
    }

    [Fact]
    public void Arch_matches_full_names_and_bare_primaries()
    {
        var amd = Machine() with { Architecture = "amd64/hwe-22.04" };
        var arm = Machine() with { Architecture = "armhf/generic" };

        AssertSelects(Parse(("arch", "amd64")), amd, arm);
        AssertSelects(Parse(("arch", "amd64/hwe-22.04")), amd, amd with { Architecture = "amd64/generic" });
        AssertSelects(Parse(("arch", "arm")), arm, amd);
        AssertSelects(Parse(("not_arch", "armhf/generic")), amd, arm);
        AssertSelects(Parse(("not_arch", "armhf")), amd, arm);
    }

    [Fact]
    public void Arch_with_usable_list_matches_the_expansion()
    {
        var known = Known(architectures: ["amd64/generic", "arm64/generic"]);

        AssertSelects(Parse(known, ("arch", "amd64")), Machine(), Machine() with { Architecture = "arm64/generic" });
    }

    [Fact]
    public void Cpu_count_cpu_speed_and_memory_are_minimums()
    {
        var m = Machine() with { CpuCount = 8, CpuSpeed = 3000, Memory = 16384 };

        AssertSelects(Parse(("cpu_count", "8")), m, m with { CpuCount = 7 });
        AssertSelects(Parse(("cpu_count", "7.5")), m, m with { CpuCount = 7 });
        AssertSelects(Parse(("cpu_speed", "3000")), m, m with { CpuSpeed = 2999 });
        AssertSelects(Parse(("mem", "16384")), m, m with { Memory = 16383 });
    }

    [Fact]
    public void Tags_need_all_and_not_tags_need_none()
    {
        var known = Known(tags: ["gpu", "ssd", "old"]);
        var m = Machine() with { Tags = ["gpu", "ssd"] };

        AssertSelects(Parse(known, ("tags", "gpu,ssd")), m, m with { Tags = ["gpu"] });
        AssertSelects(Parse(known, ("not_tags", "old")), m, m with { Tags = ["gpu", "old"] });
    }

    [Fact]
    public void Zone_and_pool_are_any_of_and_exclusions_are_none_of()
    {
        var known = Known(zones: ["z1", "z2", "z3"], pools: ["p1", "p2"]);
        var m = Machine() with { ZoneName = "z1", PoolName = "p1" };

        AssertSelects(Parse(known, ("zone", "z1"), ("zone", "z2")), m, m with { ZoneName = "z3" });
        AssertSelects(Parse(known, ("not_in_zone", "z2")), m, m with { ZoneName = "z2" });
        AssertSelects(Parse(known, ("pool", "p1")), m, m with { PoolName = "p2" });
        AssertSelects(Parse(known, ("not_in_pool", "p2")), m, m with { PoolName = "p2" });
    }

    [Fact]
    public void Fabrics_and_fabric_classes_look_at_every_interface()
    {
        var m = Machine() with { Interfaces = [Nic(1, Vlan(1, fabric: "f1", fabricClass: "10g")), Nic(2, Vlan(2, fabric: "f2"))] };
        var elsewhere = Machine() with { Interfaces = [Nic(3, Vlan(3, fabric: "f3", fabricClass: "1g"))] };

        AssertSelects(Parse(("fabrics", "f2")), m, elsewhere);
        AssertSelects(Parse(("not_fabrics", "f1")), elsewhere, m);
        AssertSelects(Parse(("fabric_classes", "10g")), m, elsewhere);
        AssertSelects(Parse(("not_fabric_classes", "10g")), elsewhere, m);
    }

    [Fact]
    public void Subnets_need_a_link_to_every_selected_subnet_and_not_subnets_to_none()
    {
        var known = Known(
            subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 10), new KnownSubnet(2, "b", "10.0.1.0/24", 10)],
            vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0")]);
        var both = Machine() with { Interfaces = [Nic(1, links: Link(1, "10.0.0.0/24", "10.0.0.5")), Nic(2, links: Link(2, "10.0.1.0/24"))] };
        var onlyA = Machine() with { Interfaces = [Nic(1, links: Link(1, "10.0.0.0/24"))] };

        // vid:0 selects both subnets, so both links are needed.
        AssertSelects(Parse(known, ("subnets", "vid:0")), both, onlyA);
        AssertSelects(Parse(known, ("not_subnets", "b")), onlyA, both);
    }

    [Fact]
    public void Vlans_need_an_interface_on_one_of_them()
    {
        var known = Known(vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0"), new KnownVlan(11, 20, "v20", 0, "fabric-0")]);
        var on20 = Machine() with { Interfaces = [Nic(1, Vlan(11, 20))] };
        var on0 = Machine() with { Interfaces = [Nic(1, Vlan(10))] };

        AssertSelects(Parse(known, ("vlans", "vid:20")), on20, on0);
        AssertSelects(Parse(known, ("not_vlans", "vid:20")), on0, on20);
    }

    [Fact]
    public void Link_speed_needs_some_interface_at_least_that_fast()
    {
        var fast = Machine() with { Interfaces = [Nic(1, linkSpeed: 1000), Nic(2, linkSpeed: 10000)] };
        var slow = Machine() with { Interfaces = [Nic(1, linkSpeed: 1000)] };

        AssertSelects(Parse(("link_speed", "10000")), fast, slow);
    }

    [Fact]
    public void Owner_power_state_and_deployment_target_filters()
    {
        var m = Machine() with { OwnerName = "alice", PowerState = PowerState.On, EphemeralDeploy = true };

        AssertSelects(Parse(("owner", "alice")), m, m with { OwnerName = null });
        AssertSelects(Parse(("not_owner", "bob")), m, m with { OwnerName = "bob" });
        AssertSelects(Parse(("power_state", "on")), m, m with { PowerState = PowerState.Off });
        AssertSelects(Parse(("not_power_state", "off")), m, m with { PowerState = PowerState.Off });
        AssertSelects(Parse(("deployment_target", "memory")), m, m with { EphemeralDeploy = false });
        AssertSelects(Parse(("not_deployment_target", "disk")), m, m with { EphemeralDeploy = false });
    }

    [Fact]
    public void Devices_need_one_device_matching_every_pair_case_insensitively()
    {
        var gpu = new NodeDeviceCandidate { VendorId = "10de", ProductId = "1eb8", VendorName = "NVIDIA Corporation", CommissioningDriver = "nvidia" };
        var m = Machine() with { Devices = [gpu] };
        var splitAcrossDevices = Machine() with { Devices = [gpu with { ProductId = "0000" }, new NodeDeviceCandidate { ProductId = "1eb8" }] };

        AssertSelects(Parse(("devices", "vendor_id=10DE,product_id=1eb8")), m, splitAcrossDevices);
        AssertSelects(Parse(("devices", "vendor_name=nvidia corporation")), m, Machine());
    }

    [Fact]
    public void Read_filters_on_ids_hostnames_domains_macs_agent_and_status()
    {
        var known = Known();
        var m = Machine(5, "web5") with
        {
            DomainName = "lab",
            AgentName = "juju-1",
            Status = NodeStatus.FAILED_DEPLOYMENT,
            Interfaces = [Nic(1, mac: "52:54:00:ab:cd:ef")],
        };
        var other = Machine(6, "db6") with { Status = NodeStatus.READY, AgentName = "juju-2" };

        AssertSelects(ParseRead(known, ("id", "sys005")), m, other);
        AssertSelects(ParseRead(known, ("not_id", "sys006")), m, other);
        AssertSelects(ParseRead(known, ("hostname", "web5")), m, other);
        AssertSelects(ParseRead(known, ("not_hostname", "db6")), m, other);
        AssertSelects(ParseRead(known, ("domain", "lab")), m, other);
        AssertSelects(ParseRead(known, ("not_domain", "maas")), m, other);
        AssertSelects(ParseRead(known, ("mac_address", "52:54:00:AB:CD:EF")), m, other);
        AssertSelects(ParseRead(known, ("agent_name", "juju-1")), m, other);
        AssertSelects(ParseRead(known, ("not_agent_name", "juju-2")), m, other);
        AssertSelects(ParseRead(known, ("status", "failed_deployment")), m, other);
        AssertSelects(ParseRead(known, ("not_status", "ready")), m, other);
        AssertSelects(ParseRead(known, ("simple_status", "failed")), m, other);
        AssertSelects(ParseRead(known, ("not_simple_status", "ready")), m, other);
    }

    [Fact]
    public void All_constraints_are_anded()
    {
        var known = Known(zones: ["default", "z1"]);
        var constraints = Parse(known, ("zone", "z1"), ("cpu_count", "4"));
        var m = Machine() with { ZoneName = "z1" };

        AssertSelects(constraints, m, m with { CpuCount = 2 });
        ConstraintMatcher.Matches(constraints, Machine()).ShouldBeFalse();
    }

    [Fact]
    public void Order_by_cost_uses_cpu_plus_memory_in_gib_then_id()
    {
        var big = Machine(1) with { CpuCount = 8, Memory = 4096 };      // 12
        var small = Machine(2) with { CpuCount = 2, Memory = 2048 };    // 4
        var tieLate = Machine(4) with { CpuCount = 4, Memory = 0 };     // 4
        var tieEarly = Machine(3) with { CpuCount = 1, Memory = 3072 }; // 4

        ConstraintMatcher.OrderByCost([big, tieLate, small, tieEarly]).Select(m => m.Id).ShouldBe([2, 3, 4, 1]);
    }

    [Fact]
    public void Select_for_allocation_takes_the_cheapest_match()
    {
        var cheapButSlow = Machine(1) with { CpuCount = 1, Memory = 1024, CpuSpeed = 1000 };
        var cheapestFast = Machine(2) with { CpuCount = 2, Memory = 1024, CpuSpeed = 3000 };
        var dearFast = Machine(3) with { CpuCount = 16, Memory = 65536, CpuSpeed = 3000 };

        var chosen = ConstraintMatcher.SelectForAllocation(Parse(("cpu_speed", "2000")), [dearFast, cheapButSlow, cheapestFast]);

        chosen.ShouldNotBeNull();
        chosen.Value.Machine.Id.ShouldBe(2);
        chosen.Value.Match.MachineId.ShouldBe(2);
        ConstraintMatcher.SelectForAllocation(Parse(("cpu_speed", "9000")), [dearFast]).ShouldBeNull();
    }

    [Fact]
    public void Filter_keeps_matching_candidates_in_order()
    {
        var candidates = Enumerable.Range(1, 10).Select(i => Machine(i) with { CpuCount = i }).ToList();

        ConstraintMatcher.Filter(Parse(("cpu_count", "8")), candidates).Select(m => m.Id).ShouldBe([8, 9, 10]);
    }
}
