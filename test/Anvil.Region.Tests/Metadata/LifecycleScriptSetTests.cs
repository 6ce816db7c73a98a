using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Scripts;
using Anvil.Region.Tests.Api.Machines;
using Anvil.Region.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>Starting commissioning, testing or erasing through the API prepares the scripts the machine will run.</summary>
public sealed class LifecycleScriptSetTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Commission_runs_builtins_and_requested_scripts_and_the_requested_tests()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var builtin = MetadataHarness.Unique("builtin");
        var tag = MetadataHarness.Unique("tag");
        var tagged = MetadataHarness.Unique("tagged");
        var unrequested = MetadataHarness.Unique("other");
        var test = MetadataHarness.Unique("test");
        await _md.AddScriptAsync(builtin, ScriptType.Commissioning, isDefault: true);
        await _md.AddScriptAsync(tagged, ScriptType.Commissioning, tags: [tag]);
        await _md.AddScriptAsync(unrequested, ScriptType.Commissioning);
        await _md.AddScriptAsync(test, ScriptType.Testing);
        var systemId = await MachineSetup.CreateNewAsync(admin);

        var json = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission", ("commissioning_scripts", tag), ("testing_scripts", test))).ShouldBeJsonAsync();

        var commissioning = json.GetProperty("current_commissioning_result_id").GetInt64();
        var testing = json.GetProperty("current_testing_result_id").GetInt64();
        var names = (await _md.ResultsAsync(commissioning)).Select(r => r.ScriptName).ToList();
        names.ShouldContain(builtin);
        names.ShouldContain(tagged);
        names.ShouldNotContain(unrequested);
        (await _md.ResultsAsync(testing)).Select(r => r.ScriptName).ShouldBe([test]);
        (await _md.ResultsAsync(testing)).ShouldAllBe(r => r.Status == ScriptStatus.Pending);
    }

    [Fact]
    public async Task Commission_again_aborts_what_the_earlier_run_left_unfinished()
    {
        var admin = await host.CreateUserAsync(admin: true);
        await _md.AddScriptAsync(MetadataHarness.Unique("b"), ScriptType.Commissioning, isDefault: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);
        var first = (await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission")).ShouldBeJsonAsync()).GetProperty("current_commissioning_result_id").GetInt64();
        await admin.Client.PostOpAsync($"machines/{systemId}/", "abort");

        var second = (await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission")).ShouldBeJsonAsync()).GetProperty("current_commissioning_result_id").GetInt64();

        second.ShouldNotBe(first);
        (await _md.ResultsAsync(first)).ShouldAllBe(r => r.Status == ScriptStatus.Aborted);
    }

    [Fact]
    public async Task Test_runs_the_requested_testing_scripts()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var test = MetadataHarness.Unique("t");
        await _md.AddScriptAsync(test, ScriptType.Testing);
        var systemId = await _machines.CreateReadyAsync(admin);

        var json = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "test", ("testing_scripts", test))).ShouldBeJsonAsync();

        json.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.TESTING);
        (await _md.ResultsAsync(json.GetProperty("current_testing_result_id").GetInt64())).Select(r => r.ScriptName).ShouldBe([test]);
    }

    [Fact]
    public async Task Test_with_scripts_that_do_not_exist_is_refused_and_changes_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        var errors = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "test", ("testing_scripts", "no-such-test"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldContain("testing_scripts");
        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.READY);
    }

    [Fact]
    public async Task Release_with_quick_erase_runs_the_builtin_wipe_disks_with_quick_erase_on()
    {
        var admin = await host.CreateUserAsync(admin: true);
        // The test host runs no background services, so the built-ins are seeded here.
        await new BuiltinScriptSeeder(host.Database, NullLogger<BuiltinScriptSeeder>.Instance)
            .SeedAsync([.. BuiltinScript.LoadAll().Where(s => s.Name == "wipe-disks")], CancellationToken.None);
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, admin);

        var json = await (await admin.Client.PostOpAsync(
            $"machines/{systemId}/", "release", ("erase", "true"), ("quick_erase", "true"), ("secure_erase", "false"))).ShouldBeJsonAsync();

        json.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DISK_ERASING);
        var nodeId = await _md.ScalarAsync<long>("SELECT id FROM node WHERE system_id = @systemId", new { systemId });
        var release = (await _md.CurrentSetsAsync(nodeId)).Release.ShouldNotBeNull();
        var wipe = (await _md.ResultsAsync(release)).ShouldHaveSingleItem();
        wipe.ScriptName.ShouldBe("wipe-disks");
        var parameters = System.Text.Json.Nodes.JsonNode.Parse(wipe.Parameters)!;
        parameters["quick_erase"]!["value"]!.GetValue<bool>().ShouldBeTrue();
        parameters["secure_erase"]!["value"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Release_without_erase_is_forced_to_erase_by_the_config()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, admin);
        (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "enable_disk_erasing_on_release"), ("value", "true"))).EnsureSuccessStatusCode();
        try
        {
            var json = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeJsonAsync();

            json.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DISK_ERASING);
        }
        finally
        {
            (await admin.Client.PostOpAsync("maas/", "set_config", ("name", "enable_disk_erasing_on_release"), ("value", "false"))).EnsureSuccessStatusCode();
        }
    }
}
