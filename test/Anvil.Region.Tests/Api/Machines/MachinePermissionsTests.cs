using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>What a user may not do to another user's machine, and what only admins may do (maas-api.md §3.0).</summary>
public sealed class MachinePermissionsTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Theory]
    [InlineData("release")]
    [InlineData("deploy")]
    [InlineData("mark_broken")]
    [InlineData("abort")]
    [InlineData("power_on")]
    [InlineData("power_off")]
    [InlineData("lock")]
    public async Task A_user_cannot_act_on_another_users_machine(string op)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var intruder = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, owner);

        await (await intruder.Client.PostOpAsync($"machines/{systemId}/", op)).ShouldBeTextAsync(HttpStatusCode.Forbidden);

        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.ALLOCATED);
        row.OwnerId.ShouldBe(owner.Id);
        (await MachineSetup.EventsAsync(admin, systemId, "AUDIT")).ShouldNotContain(e => e.Username == intruder.Username);
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId);
    }

    [Fact]
    public async Task A_user_cannot_mark_broken_an_unowned_machine_but_an_admin_can()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "mark_broken")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        (await (await admin.Client.PostOpAsync($"machines/{systemId}/", "mark_broken")).ShouldBeJsonAsync()).GetProperty("status_name").GetString().ShouldBe("Broken");
    }

    [Fact]
    public async Task An_admin_may_release_any_users_machine()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, owner);

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "release");
    }

    [Fact]
    public async Task A_non_admin_cannot_update_or_delete_a_machine_it_created()
    {
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(user);

        await (await user.Client.PutAsync($"machines/{systemId}/", ("hostname", RegionTestHost.Unique("mine")))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"machines/{systemId}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Everyone_may_read_every_machine()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, owner);

        var machine = await (await other.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();

        machine.GetProperty("owner").GetString().ShouldBe(owner.Username);
    }
}
