using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>commission, test, abort, mark_broken, mark_fixed, lock, unlock, rescue mode and override_failed_testing.</summary>
public sealed class MachineLifecycleOpsTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Commission_by_an_admin_takes_the_machine_into_commissioning()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission", ("enable_ssh", "true"), ("skip_networking", "1"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.COMMISSIONING);
        machine.GetProperty("owner").GetString().ShouldBe(admin.Username);
        (await _machines.RowAsync(systemId)).StatusExpires.ShouldNotBeNull();
        await _machines.ShouldBeAuditedAsync(admin, systemId, "start commissioning");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "New -> Commissioning");
    }

    [Fact]
    public async Task Commission_without_a_power_type_is_a_400_naming_the_problem()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin, ("power_type", ""));

        var message = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        message.ShouldContain("Unconfigured power type");
        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.NEW);
    }

    [Fact]
    public async Task Commission_by_a_non_admin_is_forbidden()
    {
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(user);

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "commission")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.NEW);
    }

    [Fact]
    public async Task Test_of_a_ready_machine_starts_testing_and_abort_returns_it_to_ready()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        var testing = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "test")).ShouldBeJsonAsync();
        var aborted = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "abort", ("comment", "enough"))).ShouldBeJsonAsync();

        testing.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.TESTING);
        aborted.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        aborted.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "start testing");
        await _machines.ShouldBeAuditedAsync(admin, systemId, "abort testing");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "Ready -> Testing", "Testing -> Ready");
    }

    [Fact]
    public async Task Test_by_a_non_admin_is_forbidden()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "test")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Abort_of_commissioning_returns_the_machine_to_new()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);
        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "commission")).ShouldBeJsonAsync();

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "abort")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.NEW);
        (await _machines.RowAsync(systemId)).StatusExpires.ShouldBeNull();
        await _machines.ShouldBeAuditedAsync(admin, systemId, "abort commissioning");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "New -> Commissioning", "Commissioning -> New");
    }

    [Fact]
    public async Task Abort_of_deploying_by_the_owner_returns_the_machine_to_allocated()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeJsonAsync();

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "abort")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.ALLOCATED);
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        await _machines.ShouldBeAuditedAsync(user, systemId, "abort deploying");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Ready -> Allocated", "Allocated -> Deploying", "Deploying -> Allocated");
    }

    [Fact]
    public async Task Abort_when_nothing_runs_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        (await (await admin.Client.PostOpAsync($"machines/{systemId}/", "abort")).ShouldBeTextAsync(HttpStatusCode.Conflict))
            .ShouldContain("Cannot abort in current state");
    }

    [Fact]
    public async Task Mark_broken_by_the_owner_breaks_and_releases_the_machine_then_mark_fixed_makes_it_ready()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);

        var broken = await (await user.Client.PostOpAsync($"machines/{systemId}/", "mark_broken", ("comment", "smoke"))).ShouldBeJsonAsync();
        var fixedMachine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "mark_fixed", ("comment", "new psu"))).ShouldBeJsonAsync();

        broken.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.BROKEN);
        broken.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        broken.GetProperty("error_description").GetString().ShouldBe("smoke");
        fixedMachine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        fixedMachine.GetProperty("error_description").GetString().ShouldBe("");
        await _machines.ShouldBeAuditedAsync(user, systemId, "mark broken");
        await _machines.ShouldBeAuditedAsync(admin, systemId, "mark fixed");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "Allocated -> Broken", "Broken -> Ready");
    }

    [Fact]
    public async Task Mark_broken_with_the_legacy_error_description_records_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "mark_broken", ("error_description", "fan"))).ShouldBeJsonAsync();

        machine.GetProperty("error_description").GetString().ShouldBe("fan");
    }

    [Fact]
    public async Task Mark_fixed_of_a_machine_that_is_not_broken_is_409_and_by_a_non_admin_403()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var ready = await _machines.CreateReadyAsync(admin);
        var broken = await _machines.CreateInStateAsync(admin, NodeStatus.BROKEN, null);

        await (await admin.Client.PostOpAsync($"machines/{ready}/", "mark_fixed")).ShouldBeTextAsync(HttpStatusCode.Conflict);
        await (await user.Client.PostOpAsync($"machines/{broken}/", "mark_fixed")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await _machines.RowAsync(broken)).NodeStatus.ShouldBe(NodeStatus.BROKEN);
    }

    [Fact]
    public async Task Lock_and_unlock_a_deployed_machine_each_409_when_repeated()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        var locked = await (await user.Client.PostOpAsync($"machines/{systemId}/", "lock", ("comment", "prod"))).ShouldBeJsonAsync();
        var lockedAgain = await (await user.Client.PostOpAsync($"machines/{systemId}/", "lock")).ShouldBeTextAsync(HttpStatusCode.Conflict);
        var unlocked = await (await user.Client.PostOpAsync($"machines/{systemId}/", "unlock")).ShouldBeJsonAsync();
        var unlockedAgain = await (await user.Client.PostOpAsync($"machines/{systemId}/", "unlock")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        locked.GetProperty("locked").GetBoolean().ShouldBeTrue();
        lockedAgain.ShouldBe("Machine is already locked");
        unlocked.GetProperty("locked").GetBoolean().ShouldBeFalse();
        unlockedAgain.ShouldBe("Machine is not locked");
        await _machines.ShouldBeAuditedAsync(user, systemId, "lock");
        await _machines.ShouldBeAuditedAsync(user, systemId, "unlock");
        (await MachineSetup.EventsAsync(user, systemId, "DEBUG")).ShouldContain(e => e.Type == "User locking node" && e.Description == "prod");
    }

    [Fact]
    public async Task Lock_of_a_machine_that_is_not_deployed_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "lock")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        (await _machines.RowAsync(systemId)).Locked.ShouldBeFalse();
    }

    [Fact]
    public async Task A_locked_machine_refuses_every_state_change_until_unlocked()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "lock")).ShouldBeJsonAsync();

        foreach (var op in new[] { "release", "mark_broken", "power_off", "power_on", "deploy" })
        {
            var refused = await (await user.Client.PostOpAsync($"machines/{systemId}/", op)).ShouldBeTextAsync(HttpStatusCode.Forbidden);
            refused.ShouldContain("locked", Case.Insensitive, op);
        }

        foreach (var op in new[] { "release", "rescue_mode", "test" })
            await (await admin.Client.PostOpAsync($"machines/{systemId}/", op)).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PutAsync($"machines/{systemId}/", ("description", "x"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.DeleteAsync($"machines/{systemId}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.DEPLOYED);
        row.OwnerId.ShouldBe(user.Id);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "unlock")).ShouldBeJsonAsync();
        (await (await user.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeJsonAsync()).GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
    }

    [Fact]
    public async Task Rescue_mode_and_exit_rescue_mode_move_a_deployed_machine_through_the_rescue_steps()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        var entering = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "rescue_mode")).ShouldBeJsonAsync();
        var exited = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "exit_rescue_mode")).ShouldBeJsonAsync();

        entering.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.ENTERING_RESCUE_MODE);
        // Power type manual cannot be queried: no power change to wait for, the machine is back at once.
        exited.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYED);
        exited.GetProperty("owner").GetString().ShouldBe(user.Username);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "start rescue mode");
        await _machines.ShouldBeAuditedAsync(admin, systemId, "stop rescue mode");
        await MachineSetup.ShouldHaveStatusChangesAsync(
            admin, systemId, "Deployed -> Entering rescue mode", "Entering rescue mode -> Exiting rescue mode", "Exiting rescue mode -> Deployed");
    }

    [Fact]
    public async Task Rescue_mode_by_a_non_admin_is_forbidden_and_exit_when_not_rescuing_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "rescue_mode")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "exit_rescue_mode")).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(NodeStatus.READY, NodeStatus.READY)]
    [InlineData(NodeStatus.DEPLOYED, NodeStatus.DEPLOYED)]
    public async Task Override_failed_testing_returns_the_machine_to_where_testing_started(NodeStatus before, NodeStatus expected)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.FAILED_TESTING, null, previous: before);

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "override_failed_testing", ("comment", "known flake"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)expected);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "override failed testing");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, $"Failed testing -> {NodeStatusInfo.Label(expected)}");
    }

    [Fact]
    public async Task Override_failed_testing_of_a_machine_that_did_not_fail_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "override_failed_testing")).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }
}
