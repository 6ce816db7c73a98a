using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Allocation;

public class InterfacesConstraintTests
{
    [Fact]
    public void Parse_reads_labels_in_order_with_repeated_keys_as_lists()
    {
        var parsed = InterfacesConstraint.Parse("eth0:space=dmz,tag=a,tag=b;storage-net:fabric=f1");

        parsed.Labels.Select(l => l.Key).ShouldBe(["eth0", "storage-net"]);
        var eth0 = parsed.Labels[0].Value;
        eth0.Select(k => k.Key).ShouldBe(["space", "tag"]);
        eth0[1].Value.ShouldBe(["a", "b"]);
        parsed.Labels[1].Value[0].Value.ShouldBe(["f1"]);
    }

    [Fact]
    public void Parse_keeps_everything_after_the_first_equals_sign_in_a_value()
    {
        InterfacesConstraint.Parse("a:name=x=y").Labels[0].Value[0].Value.ShouldBe(["x=y"]);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    public void Parse_of_one_character_or_less_is_an_empty_map(string text)
    {
        InterfacesConstraint.Parse(text).Labels.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("eth0", "Malformed constraint: 'eth0' (required format: '<label>:<key>=<value>[,<key2>=<value2>[,...]]')")]
    [InlineData("_x:name=a", "Invalid label name: '_x' (Must begin with an alphanumeric character, and include only alphanumeric characters, dashes, and underscores.)")]
    [InlineData(":name=a", "Invalid label name: '' (Must begin with an alphanumeric character, and include only alphanumeric characters, dashes, and underscores.)")]
    [InlineData("a:name=x;a:name=y", "Constraint label defined more than once: 'a'")]
    [InlineData("a:name", "Malformed key/value pair in constraint: 'name'")]
    [InlineData("a:name=x,", "Malformed key/value pair in constraint: ''")]
    [InlineData("a:colour=red", "Unknown interfaces constraint: 'colour")]
    [InlineData("a:name=x;", "Malformed constraint: '' (required format: '<label>:<key>=<value>[,<key2>=<value2>[,...]]')")]
    public void Parse_refuses_bad_text_with_maas_message(string text, string message)
    {
        var error = Should.Throw<ValidationException>(() => InterfacesConstraint.Parse(text));

        error.FieldErrors["interfaces"].ShouldBe([message]);
    }

    [Fact]
    public void Every_documented_key_is_allowed()
    {
        string[] keys =
        [
            "id", "not_id", "fabric", "not_fabric", "fabric_class", "not_fabric_class", "ip", "not_ip", "mode", "name",
            "not_name", "hostname", "not_hostname", "subnet", "not_subnet", "space", "not_space", "subnet_cidr",
            "not_subnet_cidr", "type", "vlan", "not_vlan", "vid", "not_vid", "tag", "not_tag", "link_speed",
        ];

        foreach (var key in keys)
            InterfacesConstraint.Parse($"l:{key}=1").Labels[0].Value[0].Key.ShouldBe(key);
        InterfacesConstraint.AllowedKeys.Count.ShouldBe(keys.Length);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_of_random_text_only_ever_refuses_with_a_validation_error(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["a", "eth0", ":", ";", ",", "=", "name", "space", "not_", "vid", "1", "-", "_", " ", "\u00fc", "\n", "&&"];
        for (var i = 0; i < 500; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 16)).Select(_ => pieces[random.Next(pieces.Length)]));
            try
            {
                InterfacesConstraint.Parse(text).Text.ShouldBe(text);
            }
            catch (ValidationException e)
            {
                e.FieldErrors.Keys.ShouldBe(["interfaces"]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Form_with_random_interfaces_values_only_ever_refuses_with_a_validation_error(int seed)
    {
        // Values reach the specifier compilers (vid, id, ip, nested subnet/vlan specifiers) too.
        var random = new Random(seed);
        string[] keys = ["id", "vid", "not_vid", "ip", "subnet", "vlan", "fabric", "space", "subnet_cidr", "mode", "link_speed", "tag"];
        string[] values = ["1", "0x10", "untagged", "5000", "-1", "x", "vlan:subnet:vlan:1", "cidr:10.0.0.0/8", "ip:10.1.1.1", "name:", "space:undefined", "unconfigured", "a&&b", "10.0.0.1", ""];
        var known = AllocationTestData.Known(
            subnets: [new KnownSubnet(1, "s1", "10.0.0.0/24", 5)],
            vlans: [new KnownVlan(5, 0, "untagged", 0, "fabric-0")]);
        for (var i = 0; i < 200; i++)
        {
            var text = "l:" + string.Join(",", Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{keys[random.Next(keys.Length)]}={values[random.Next(values.Length)]}"));
            try
            {
                ConstraintForm.Parse(AllocationTestData.Form(("interfaces", text)), known).Interfaces.ShouldNotBeNull();
            }
            catch (ValidationException e)
            {
                e.FieldErrors.Keys.ShouldBe(["interfaces"]);
            }
        }
    }
}
