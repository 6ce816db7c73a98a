using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Tests.Metadata;

/// <summary>What each signal does to the machine in each status (maas-api.md §7.3).</summary>
public sealed class SignalTransitionTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task New_machine_signalling_commissioning_starts_commissioning_with_the_builtin_scripts()
    {
        var builtin = MetadataHarness.Unique("builtin");
        var user = MetadataHarness.Unique("user");
        await _md.AddScriptAsync(builtin, ScriptType.Commissioning, isDefault: true);
        await _md.AddScriptAsync(user, ScriptType.Commissioning);
        var node = await _md.CreateMachineAsync(NEW);

        await (await MetadataHarness.SignalAsync(node.Client, "COMMISSIONING")).ShouldBeTextAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(COMMISSIONING);
        var set = (await _md.CurrentSetsAsync(node.Id)).Commissioning.ShouldNotBeNull();
        var names = (await _md.ResultsAsync(set)).Select(r => r.ScriptName).ToList();
        names.ShouldContain(builtin);
        names.ShouldNotContain(user);
    }

    [Fact]
    public async Task New_machine_ignores_other_signals()
    {
        var node = await _md.CreateMachineAsync(NEW);

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NEW);
    }

    [Fact]
    public async Task Commissioning_ok_makes_the_machine_ready_and_unowned()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);
        await _md.ExecuteAsync("UPDATE node SET owner_id = @owner WHERE id = @id", new { id = node.Id, owner = node.Admin.Id });

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        var row = await _md.NodeAsync(node.Id);
        row.NodeStatus.ShouldBe(READY);
        row.OwnerId.ShouldBeNull();
        (await _md.EventTypesAsync(node.Id)).ShouldContain("READY");
    }

    [Fact]
    public async Task Commissioning_ok_while_enlisting_returns_the_machine_to_new()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);
        await _md.ExecuteAsync("UPDATE node SET enlisting = true WHERE id = @id", new { id = node.Id });

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        var row = await _md.NodeAsync(node.Id);
        row.NodeStatus.ShouldBe(NEW);
        row.Enlisting.ShouldBeFalse();
    }

    [Fact]
    public async Task Commissioning_failed_keeps_the_error()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);

        await (await MetadataHarness.SignalAsync(node.Client, "FAILED", [("error", "2 commissioning scripts failed to run")])).ShouldBeStatusAsync(HttpStatusCode.OK);

        var row = await _md.NodeAsync(node.Id);
        row.NodeStatus.ShouldBe(FAILED_COMMISSIONING);
        row.ErrorDescription.ShouldBe("2 commissioning scripts failed to run");
        (await _md.EventTypesAsync(node.Id)).ShouldContain("FAILED_COMMISSIONING");
    }

    [Fact]
    public async Task Commissioning_ok_with_a_failed_script_fails_and_aborts_pending_tests()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);
        var (script, _) = await _md.AddScriptAsync(MetadataHarness.Unique("c"), ScriptType.Commissioning);
        var (test, _) = await _md.AddScriptAsync(MetadataHarness.Unique("t"), ScriptType.Testing);
        var (_, results) = await _md.AddSetAsync(node.Id, ResultType.Commissioning, script);
        var (_, tests) = await _md.AddSetAsync(node.Id, ResultType.Testing, test);
        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", results[0].ToString()), ("exit_status", "1")], [("x.out", "boom"u8.ToArray())]);

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(FAILED_COMMISSIONING);
        (await _md.ResultAsync(results[0])).Status.ShouldBe(ScriptStatus.Failed);
        (await _md.ResultAsync(tests[0])).Status.ShouldBe(ScriptStatus.Aborted);
    }

    [Fact]
    public async Task Commissioning_then_testing_then_ok_ends_ready()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING, READY);

        await (await MetadataHarness.SignalAsync(node.Client, "TESTING")).ShouldBeStatusAsync(HttpStatusCode.OK);
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(TESTING);
        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(READY);
    }

    [Fact]
    public async Task Testing_ok_returns_a_deployed_machine_to_deployed()
    {
        var node = await _md.CreateMachineAsync(TESTING, DEPLOYED);

        await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(DEPLOYED);
    }

    [Fact]
    public async Task Testing_failed_is_failed_testing_and_aborts_unfinished_results()
    {
        var node = await _md.CreateMachineAsync(TESTING, READY);
        var (test, _) = await _md.AddScriptAsync(MetadataHarness.Unique("t"), ScriptType.Testing);
        var (_, results) = await _md.AddSetAsync(node.Id, ResultType.Testing, test);

        await (await MetadataHarness.SignalAsync(node.Client, "FAILED")).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(FAILED_TESTING);
        (await _md.ResultAsync(results[0])).Status.ShouldBe(ScriptStatus.Aborted);
        (await _md.EventTypesAsync(node.Id)).ShouldContain("FAILED_TESTING");
    }

    [Theory]
    [InlineData(DEPLOYING, "FAILED", FAILED_DEPLOYMENT)]
    [InlineData(DEPLOYING, "WORKING", DEPLOYING)]
    [InlineData(DISK_ERASING, "OK", READY)]
    [InlineData(DISK_ERASING, "FAILED", FAILED_DISK_ERASING)]
    [InlineData(ENTERING_RESCUE_MODE, "OK", RESCUE_MODE)]
    [InlineData(ENTERING_RESCUE_MODE, "WORKING", RESCUE_MODE)]
    [InlineData(ENTERING_RESCUE_MODE, "FAILED", FAILED_ENTERING_RESCUE_MODE)]
    [InlineData(RESCUE_MODE, "OK", RESCUE_MODE)]
    [InlineData(RELEASING, "OK", READY)]
    [InlineData(RELEASING, "FAILED", FAILED_RELEASING)]
    [InlineData(BROKEN, "OK", BROKEN)]
    [InlineData(READY, "FAILED", READY)]
    [InlineData(FAILED_COMMISSIONING, "OK", FAILED_COMMISSIONING)]
    [InlineData(FAILED_DEPLOYMENT, "OK", FAILED_DEPLOYMENT)]
    [InlineData(FAILED_TESTING, "OK", FAILED_TESTING)]
    [InlineData(FAILED_ENTERING_RESCUE_MODE, "OK", FAILED_ENTERING_RESCUE_MODE)]
    public async Task Signal_moves_the_machine_as_MAAS_does(NodeStatus from, string signal, NodeStatus expected)
    {
        var node = await _md.CreateMachineAsync(from, ALLOCATED);

        await (await MetadataHarness.SignalAsync(node.Client, signal)).ShouldBeTextAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(expected);
    }

    [Theory]
    [InlineData(ALLOCATED)]
    [InlineData(MISSING)]
    [InlineData(RETIRED)]
    public async Task Signal_in_a_status_without_a_run_is_409(NodeStatus status)
    {
        var node = await _md.CreateMachineAsync(status);

        var text = await (await MetadataHarness.SignalAsync(node.Client, "OK")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        text.ShouldStartWith("Machine status isn't valid");
    }

    [Fact]
    public async Task An_unknown_status_is_400()
    {
        var node = await _md.CreateMachineAsync();

        (await (await MetadataHarness.SignalAsync(node.Client, "DONE")).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("Unknown status: 'DONE'");
    }

    [Fact]
    public async Task Power_settings_found_by_bmc_detection_are_kept_while_commissioning()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);

        await (await MetadataHarness.SignalAsync(
            node.Client,
            "WORKING",
            [("power_type", "manual"), ("power_parameters", """{"power_address": "10.0.0.9", "power_user": "maas"}""")])).ShouldBeStatusAsync(HttpStatusCode.OK);

        var row = await _md.NodeAsync(node.Id);
        row.PowerType.ShouldBe("manual");
        JsonDocument.Parse(row.PowerParameters).RootElement.GetProperty("power_address").GetString().ShouldBe("10.0.0.9");
    }

    [Fact]
    public async Task Power_settings_are_ignored_outside_commissioning()
    {
        var node = await _md.CreateMachineAsync(TESTING, READY);

        await (await MetadataHarness.SignalAsync(
            node.Client, "WORKING", [("power_type", "manual"), ("power_parameters", """{"power_address": "10.0.0.9"}""")])).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).PowerParameters.ShouldNotContain("10.0.0.9");
    }

    [Fact]
    public async Task Unknown_power_type_or_bad_json_is_400()
    {
        var node = await _md.CreateMachineAsync(COMMISSIONING);

        (await (await MetadataHarness.SignalAsync(node.Client, "WORKING", [("power_type", "nonsense")])).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Bad power_type 'nonsense'");
        (await (await MetadataHarness.SignalAsync(node.Client, "WORKING", [("power_type", "manual"), ("power_parameters", "{not json")])).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Failed to parse JSON power_parameters");
    }

    [Fact]
    public async Task Netboot_can_be_switched_off_and_on()
    {
        var node = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);

        await (await node.Client.PostAsync("latest/?op=netboot_off", null)).ShouldBeStatusAsync(HttpStatusCode.OK);
        (await _md.NodeAsync(node.Id)).Netboot.ShouldBeFalse();
        await (await node.Client.PostAsync("latest/?op=netboot_on", null)).ShouldBeStatusAsync(HttpStatusCode.OK);
        (await _md.NodeAsync(node.Id)).Netboot.ShouldBeTrue();
    }
}
