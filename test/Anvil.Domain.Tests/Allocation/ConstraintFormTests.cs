using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Allocation.AllocationTestData;

namespace Anvil.Domain.Tests.Allocation;

public class ConstraintFormTests
{
    [Fact]
    public void Parse_collects_every_bad_field_into_one_validation_error()
    {
        var form = Form(
            ("mem", "lots"),
            ("cpu_count", "many"),
            ("cpu_speed", "fast"),
            ("link_speed", "x"),
            ("zone", "nowhere"),
            ("pool", "deep"),
            ("tags", "gpu"),
            ("storage", "x"),
            ("interfaces", "bad"),
            ("devices", "colour=red"),
            ("power_state", "sideways"),
            ("flavour", "vanilla"));

        var error = Should.Throw<ValidationException>(() => ConstraintForm.Parse(form, Known()));

        error.FieldErrors.Keys.Order().ShouldBe(
            ["cpu_count", "cpu_speed", "devices", "flavour", "interfaces", "link_speed", "mem", "pool", "power_state", "storage", "tags", "zone"]);
        error.FieldErrors["mem"].ShouldBe(["Invalid memory: number of MiB required."]);
        error.FieldErrors["cpu_count"].ShouldBe(["Invalid CPU count: number required."]);
        error.FieldErrors["cpu_speed"].ShouldBe(["Invalid CPU speed: number required."]);
        error.FieldErrors["link_speed"].ShouldBe(["Invalid link speed: number required."]);
        error.FieldErrors["zone"].ShouldBe(["No such zone(s): nowhere."]);
        error.FieldErrors["pool"].ShouldBe(["No such pool(s): deep."]);
        error.FieldErrors["tags"].ShouldBe(["No such tag(s): 'gpu'."]);
        error.FieldErrors["storage"].ShouldBe(["Malformed storage constraint, \"x\"."]);
        error.FieldErrors["devices"].ShouldBe(["Unknown devices constraint: 'colour"]);
        error.FieldErrors["power_state"].ShouldBe(["Select a valid choice. sideways is not one of the available choices."]);
        error.FieldErrors["flavour"].ShouldBe(["No such constraint."]);
    }

    [Fact]
    public void Parse_ignores_the_parameters_allocate_handles_itself()
    {
        var constraints = Parse(
            ("op", "allocate"), ("comment", "c"), ("bridge_all", "true"), ("bridge_type", "ovs"), ("bridge_stp", "1"),
            ("bridge_fd", "15"), ("dry_run", "true"), ("verbose", "true"), ("agent_name", "juju"));

        constraints.IsEmpty.ShouldBeTrue();
        constraints.AgentNames.ShouldBeNull();
    }

    [Fact]
    public void Read_form_filters_on_agent_name_and_refuses_allocate_only_name()
    {
        var constraints = ParseRead(Known(), ("agent_name", "juju"));
        constraints.AgentNames.ShouldBe(["juju"]);

        var error = Should.Throw<ValidationException>(() => ParseRead(Known(), ("name", "node1")));
        error.FieldErrors["name"].ShouldBe(["No such constraint."]);
    }

    [Fact]
    public void Allocate_form_refuses_read_only_filters()
    {
        var error = Should.Throw<ValidationException>(() => Parse(("status", "ready"), ("hostname", "x")));

        error.FieldErrors.Keys.Order().ShouldBe(["hostname", "status"]);
    }

    [Fact]
    public void Tags_split_legacy_comma_and_space_lists()
    {
        var constraints = Parse(Known(tags: ["a", "b", "c"]), ("tags", "a,b c"), ("tags", "c"));

        constraints.Tags!.Order().ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void Unknown_tags_are_listed_quoted_and_sorted()
    {
        var error = Should.Throw<ValidationException>(() => Parse(Known(tags: ["a"]), ("tags", "z,a,m")));

        error.FieldErrors["tags"].ShouldBe(["No such tag(s): 'm', 'z'."]);
    }

    [Fact]
    public void Unknown_zones_and_pools_in_exclusions_are_errors_too()
    {
        var error = Should.Throw<ValidationException>(() => Parse(("not_in_zone", "b"), ("not_in_zone", "a"), ("not_in_pool", "p")));

        error.FieldErrors["not_in_zone"].ShouldBe(["No such zone(s): a, b."]);
        error.FieldErrors["not_in_pool"].ShouldBe(["No such pool(s): p."]);
    }

    [Fact]
    public void Numbers_accept_floats_and_keep_the_smallest_repeat()
    {
        var constraints = Parse(("cpu_count", "2.5"), ("mem", "4096"), ("mem", "1024"));

        constraints.MinCpuCount.ShouldBe(2.5);
        constraints.MinMemory.ShouldBe(1024);
    }

    [Fact]
    public void Empty_values_mean_not_given()
    {
        var constraints = Parse(("zone", ""), ("storage", "  "), ("interfaces", " "), ("mem", ""));

        constraints.IsEmpty.ShouldBeTrue();
        constraints.Zones.ShouldBeNull();
        constraints.Storage.ShouldBeNull();
        constraints.Interfaces.ShouldBeNull();
    }

    [Fact]
    public void Arch_expands_wildcards_against_usable_architectures()
    {
        var known = Known(architectures: ["amd64/generic", "amd64/hwe-22.04", "armhf/generic", "arm64/generic"]);

        Parse(known, ("arch", "amd64")).Architectures!.Order().ShouldBe(["amd64/generic", "amd64/hwe-22.04"]);
        Parse(known, ("arch", "arm")).Architectures.ShouldBe(["armhf/generic"]);
        Parse(known, ("arch", "arm64/generic")).Architectures.ShouldBe(["arm64/generic"]);
    }

    [Fact]
    public void Arch_unknown_to_the_usable_list_is_not_recognised()
    {
        var error = Should.Throw<ValidationException>(() => Parse(Known(architectures: ["amd64/generic"]), ("arch", "s390x")));

        error.FieldErrors["arch"].ShouldBe(["Architecture not recognised."]);
    }

    [Fact]
    public void Owner_must_exist_when_users_are_known()
    {
        var error = Should.Throw<ValidationException>(() => Parse(Known(users: ["alice"]), ("owner", "bob")));

        error.FieldErrors["owner"].ShouldBe(["No such owner: 'bob'."]);
        Parse(Known(users: ["alice"]), ("owner", "alice")).Owners.ShouldBe(["alice"]);
    }

    [Fact]
    public void Statuses_are_lower_case_names_and_simple_statuses_expand()
    {
        var constraints = ParseRead(Known(), ("status", "failed_testing"), ("simple_status", "releasing"));

        constraints.Statuses.ShouldBe([NodeStatus.FAILED_TESTING]);
        constraints.SimpleStatuses!.Order().ShouldBe([NodeStatus.RELEASING, NodeStatus.DISK_ERASING]);
        var error = Should.Throw<ValidationException>(() => ParseRead(Known(), ("status", "READY"), ("not_simple_status", "asleep")));
        error.FieldErrors["status"].ShouldBe(["Select a valid choice. READY is not one of the available choices."]);
        error.FieldErrors["not_simple_status"].ShouldBe(["Select a valid choice. asleep is not one of the available choices."]);
    }

    [Fact]
    public void Power_state_accepts_the_exact_match_prefix()
    {
        Parse(("power_state", "=on")).PowerStates.ShouldBe(["on"]);
    }

    [Fact]
    public void Mac_addresses_are_normalised_and_bad_ones_refused()
    {
        ParseRead(Known(), ("mac_address", "52-54-00-AB-CD-EF")).MacAddresses.ShouldBe(["52:54:00:ab:cd:ef"]);

        var error = Should.Throw<ValidationException>(() => ParseRead(Known(), ("mac_address", "nope")));
        error.FieldErrors["mac_address"].ShouldBe(["'nope' is not a valid MAC address."]);
    }

    [Fact]
    public void Deployment_target_is_memory_or_disk()
    {
        Parse(("deployment_target", "memory")).DeploymentTargets.ShouldBe(["memory"]);

        var error = Should.Throw<ValidationException>(() => Parse(("not_deployment_target", "tape")));
        error.FieldErrors["not_deployment_target"].ShouldBe(["Select a valid choice. tape is not one of the available choices."]);
    }

    [Fact]
    public void Subnet_specifiers_resolve_against_the_known_subnets()
    {
        var known = Known(
            subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 10), new KnownSubnet(2, "b", "10.0.1.0/24", 11), new KnownSubnet(3, "c", "fd00::/64", 11)],
            vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0", SpaceName: "dmz", SpaceId: 7), new KnownVlan(11, 20, "v20", 1, "fabric-1")]);

        Parse(known, ("subnets", "a")).SubnetIds.ShouldBe([1]);
        Parse(known, ("subnets", "2")).SubnetIds.ShouldBe([2]);
        Parse(known, ("subnets", "10.0.1.7/24")).SubnetIds.ShouldBe([2]);
        Parse(known, ("subnets", "cidr:fd00::/64")).SubnetIds.ShouldBe([3]);
        Parse(known, ("subnets", "ip:10.0.0.9")).SubnetIds.ShouldBe([1]);
        Parse(known, ("subnets", "vid:20")).SubnetIds!.Order().ShouldBe([2, 3]);
        Parse(known, ("subnets", "vlan:name:v20")).SubnetIds!.Order().ShouldBe([2, 3]);
        Parse(known, ("subnets", "fabric:fabric-0")).SubnetIds.ShouldBe([1]);
        Parse(known, ("subnets", "space:dmz")).SubnetIds.ShouldBe([1]);
        Parse(known, ("subnets", "space:undefined")).SubnetIds!.Order().ShouldBe([2, 3]);
        Parse(known, ("subnets", "name:a"), ("subnets", "name:c")).SubnetIds!.Order().ShouldBe([1, 3]);
        Parse(known, ("subnets", "!name:a")).SubnetIds!.Order().ShouldBe([2, 3]);
    }

    [Fact]
    public void Subnet_specifiers_that_select_nothing_or_are_malformed_are_errors()
    {
        var known = Known(subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 10)], vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0")]);

        var error = Should.Throw<ValidationException>(() => Parse(known,
            ("subnets", "name:zzz"), ("not_subnets", "id:x"), ("vlans", "vid:5000"), ("not_vlans", "name:none")));

        error.FieldErrors["subnets"].ShouldBe(["No matching subnets found."]);
        error.FieldErrors["not_subnets"].ShouldBe(["Subnet ID must be numeric."]);
        error.FieldErrors["vlans"].ShouldBe(["VLAN tag (VID) out of range (0-4094; 0 for untagged.)"]);
        error.FieldErrors["not_vlans"].ShouldBe(["No matching vlans found."]);
    }

    [Fact]
    public void Vlan_specifiers_resolve_by_id_name_vid_fabric_space_and_subnet()
    {
        var known = Known(
            subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 11)],
            vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0"), new KnownVlan(11, 30, "storage", 1, "fabric-1", SpaceName: "san", SpaceId: 3)]);

        Parse(known, ("vlans", "10")).VlanIds.ShouldBe([10]);
        Parse(known, ("vlans", "storage")).VlanIds.ShouldBe([11]);
        Parse(known, ("vlans", "vid:untagged")).VlanIds.ShouldBe([10]);
        Parse(known, ("vlans", "fabric:1")).VlanIds.ShouldBe([11]);
        Parse(known, ("vlans", "space:san")).VlanIds.ShouldBe([11]);
        Parse(known, ("vlans", "subnet:cidr:10.0.0.0/24")).VlanIds.ShouldBe([11]);
    }

    [Fact]
    public void Interfaces_values_are_validated_with_maas_messages()
    {
        var known = Known();

        Should.Throw<ValidationException>(() => Parse(known, ("interfaces", "a:mode=static")))
            .FieldErrors["interfaces"].ShouldBe(["The only valid value for 'mode' is 'unconfigured'."]);
        Should.Throw<ValidationException>(() => Parse(known, ("interfaces", "a:id=eth0")))
            .FieldErrors["interfaces"].ShouldBe(["Interface ID must be numeric."]);
        Should.Throw<ValidationException>(() => Parse(known, ("interfaces", "a:vid=4095")))
            .FieldErrors["interfaces"].ShouldBe(["VLAN tag (VID) out of range (0-4094; 0 for untagged.)"]);
    }

    [Fact]
    public void Deeply_nested_specifiers_are_refused_instead_of_recursing_forever()
    {
        var nested = string.Concat(Enumerable.Repeat("vlan:subnet:", 50)) + "1";
        var known = Known(subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 10)], vlans: [new KnownVlan(10, 0, "untagged", 0, "fabric-0")]);

        Should.Throw<ValidationException>(() => Parse(known, ("subnets", nested)))
            .FieldErrors["subnets"].ShouldBe(["Specifier nested too deeply."]);
    }

    [Fact]
    public void Parsed_constraints_expose_what_was_asked()
    {
        var constraints = Parse(Known(zones: ["z1"], tags: ["t"]),
            ("zone", "z1"), ("tags", "t"), ("not_tags", "bad"), ("storage", "10"), ("interfaces", "a:name=eth0"), ("devices", "vendor_id=10de"));

        constraints.Kind.ShouldBe(ConstraintFormKind.Allocate);
        constraints.Zones.ShouldBe(["z1"]);
        constraints.NotTags.ShouldBe(["bad"]);
        constraints.Storage!.Text.ShouldBe("10");
        constraints.Interfaces!.Text.ShouldBe("a:name=eth0");
        constraints.Devices!.Filters["vendor_id"].ShouldBe("10de");
    }
}

public class ConstraintFormFuzzTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_of_random_parameters_only_ever_refuses_with_a_validation_error(int seed)
    {
        var random = new Random(seed);
        string[] keys =
        [
            "arch", "not_arch", "cpu_count", "mem", "tags", "zone", "subnets", "not_subnets", "vlans", "not_vlans", "storage",
            "interfaces", "devices", "power_state", "status", "simple_status", "mac_address", "name", "link_speed", "bogus",
        ];
        string[] values =
        [
            "", "1", "x", "amd64", "0x1f", "ip:10.0.0.1", "cidr:10.0.0.0/33", "vid:untagged", "vlan:subnet:1", "!name:a",
            "|id:1", "not_space:undefined", "10(ssd)", "a:vid=1", "vendor_id=1", "on", "ready", "52:54:00:00:00:01", ":", ",", "=",
        ];
        var known = AllocationTestData.Known(
            tags: ["x"],
            subnets: [new KnownSubnet(1, "a", "10.0.0.0/24", 1)],
            vlans: [new KnownVlan(1, 0, "untagged", 0, "fabric-0")]);
        for (var i = 0; i < 100; i++)
        {
            var pairs = Enumerable.Range(0, random.Next(1, 6))
                .Select(_ => (keys[random.Next(keys.Length)], values[random.Next(values.Length)] + values[random.Next(values.Length)]))
                .ToArray();
            var kind = random.Next(2) == 0 ? ConstraintFormKind.Allocate : ConstraintFormKind.Read;
            try
            {
                var constraints = ConstraintForm.Parse(AllocationTestData.Form(pairs), known, kind);
                constraints.NoMatchMessage().ShouldNotBeNullOrEmpty();
                ConstraintMatcher.Match(constraints, AllocationTestData.Machine());
            }
            catch (ValidationException e)
            {
                e.FieldErrors.ShouldNotBeEmpty();
            }
        }
    }
}
