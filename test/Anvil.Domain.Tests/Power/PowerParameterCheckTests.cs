using Anvil.Domain.Power;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Power;

public sealed class PowerParameterCheckTests
{
    [Fact]
    public void Webhook_without_its_uris_lists_each_missing_one_by_label_and_takes_the_regex_defaults()
    {
        var problems = PowerParameterCheck.Problems(PowerDrivers.Webhook, new Dictionary<string, string?> { ["power_on_uri"] = "http://bmc/on" });

        problems.ShouldBe(["URI to power off the node: This field is required.", "URI to query the nodes power status: This field is required."]);
    }

    [Fact]
    public void A_value_outside_a_choice_field_names_the_field_and_every_choice()
    {
        var problems = PowerParameterCheck.Problems(PowerDrivers.Ipmi, new Dictionary<string, string?> { ["power_address"] = "10.0.0.1", ["power_off_mode"] = "gentle" });

        problems.ShouldBe(["Power off mode: 'gentle' is not a valid power_off_mode.  It should be one of: 'soft', 'hard'."]);
    }

    [Fact]
    public void Complete_parameters_have_no_problems()
    {
        PowerParameterCheck.Problems(PowerDrivers.Redfish, new Dictionary<string, string?> { ["power_address"] = "10.0.0.2", ["power_user"] = "root", ["power_pass"] = "pw" })
            .ShouldBeEmpty();
    }
}
