using System.Text.Json;
using Anvil.Domain.Allocation;
using Shouldly;
using Xunit;
using static Anvil.Domain.Tests.Allocation.AllocationTestData;

namespace Anvil.Domain.Tests.Allocation;

public class DescribeTests
{
    [Fact]
    public void No_constraints_give_the_plain_no_machine_message()
    {
        var constraints = Parse(("op", "allocate"), ("agent_name", "juju"), ("dry_run", "true"));

        constraints.Describe().ShouldBe("");
        constraints.NoMatchMessage().ShouldBe("No machine available.");
    }

    [Fact]
    public void Only_a_system_id_gives_the_system_id_message()
    {
        Parse(("system_id", "abc123")).NoMatchMessage().ShouldBe("No machine with system ID abc123 available.");
    }

    [Fact]
    public void Name_constraint_gives_maas_text_with_input_and_resolution()
    {
        Parse(("op", "allocate"), ("name", "host1")).NoMatchMessage()
            .ShouldBe("No available machine matches constraints: [('name', ['host1'])] (resolved to \"name=host1\")");
    }

    [Fact]
    public void Describe_lists_fields_alphabetically_with_python_style_values()
    {
        var known = Known(zones: ["default", "z1"], tags: ["b", "a"], architectures: ["amd64/generic", "amd64/hwe-22.04"]);

        var constraints = Parse(known,
            ("zone", "z1"), ("tags", "b a"), ("cpu_count", "4"), ("mem", "1024.5"), ("arch", "amd64"),
            ("storage", "root:10(ssd)"), ("interfaces", "a:space=x"), ("not_in_zone", "default"));

        constraints.Describe().ShouldBe(
            "arch=amd64/generic,amd64/hwe-22.04 cpu_count=4.0 interfaces=a:space=x mem=1024.5 not_in_zone=default storage=root:10(ssd) tags=a,b zone=z1");
    }

    [Fact]
    public void Message_repeats_the_input_as_python_would_print_it()
    {
        var constraints = Parse(Known(zones: ["z1", "z2"]), ("zone", "z1"), ("zone", "z2"), ("agent_name", "it's"));

        constraints.NoMatchMessage().ShouldBe(
            "No available machine matches constraints: [('zone', ['z1', 'z2']), ('agent_name', [\"it's\"])] (resolved to \"zone=z1,z2\")");
    }

    [Fact]
    public void Subnets_are_described_by_resolved_ids()
    {
        var known = Known(subnets: [new KnownSubnet(7, "a", "10.0.0.0/24", 1), new KnownSubnet(3, "b", "10.0.1.0/24", 1)], vlans: [new KnownVlan(1, 0, "untagged", 0, "fabric-0")]);

        Parse(known, ("subnets", "vid:0")).Describe().ShouldBe("subnets=3,7");
    }

    [Fact]
    public void Constraints_by_type_serialises_like_maas()
    {
        var byType = new ConstraintsByType
        {
            Storage = new Dictionary<string, IReadOnlyList<object>> { ["root"] = [5L], ["data"] = ["partition:9"] },
            Interfaces = new Dictionary<string, IReadOnlyList<long>> { ["eth"] = [1L, 2L] },
        };

        JsonSerializer.Serialize(byType).ShouldBe("{\"storage\":{\"root\":[5],\"data\":[\"partition:9\"]},\"interfaces\":{\"eth\":[1,2]}}");
        JsonSerializer.Serialize(new ConstraintsByType()).ShouldBe("{}");
    }
}
