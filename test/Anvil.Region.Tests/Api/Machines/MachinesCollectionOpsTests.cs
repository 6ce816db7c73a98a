using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>The machines/ ops besides allocate: release, accept, accept_all, list_allocated, power_parameters, set_zone, set_pool.</summary>
public sealed class MachinesCollectionOpsTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Release_releases_the_callers_machines_and_skips_ready_ones()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var allocated = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        var deployed = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);
        var ready = await _machines.CreateReadyAsync(admin);

        var released = await (await user.Client.PostOpAsync(
            "machines/", "release", ("machines", allocated), ("machines", deployed), ("machines", ready), ("comment", "bulk"))).ShouldBeJsonAsync();

        released.EnumerateArray().Select(e => e.GetString()).Order().ShouldBe(new[] { allocated, deployed }.Order());
        foreach (var systemId in new[] { allocated, deployed, ready })
        {
            var row = await _machines.RowAsync(systemId);
            row.NodeStatus.ShouldBe(NodeStatus.READY);
            row.OwnerId.ShouldBeNull();
        }

        await _machines.ShouldBeAuditedAsync(user, allocated, "release");
        await _machines.ShouldBeAuditedAsync(user, deployed, "release");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, deployed, "Deployed -> Ready");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, ready);
    }

    [Fact]
    public async Task Release_with_a_machine_that_cannot_be_released_is_409_listing_it_and_releases_none()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var allocated = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        var fresh = await MachineSetup.CreateNewAsync(user);

        var message = await (await user.Client.PostOpAsync("machines/", "release", ("machines", allocated), ("machines", fresh))).ShouldBeTextAsync(HttpStatusCode.Conflict);

        message.ShouldContain($"{fresh} ('New')");
        message.ShouldNotContain(allocated);
        (await _machines.RowAsync(allocated)).NodeStatus.ShouldBe(NodeStatus.ALLOCATED);
    }

    [Fact]
    public async Task Release_including_another_users_machine_is_forbidden_and_releases_none()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var mine = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        var theirs = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, other);

        await (await user.Client.PostOpAsync("machines/", "release", ("machines", mine), ("machines", theirs))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await _machines.RowAsync(mine)).NodeStatus.ShouldBe(NodeStatus.ALLOCATED);
        (await _machines.RowAsync(theirs)).OwnerId.ShouldBe(other.Id);
    }

    [Fact]
    public async Task Release_of_an_unknown_machine_is_a_field_error()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.PostOpAsync("machines/", "release", ("machines", "zzzzzz"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["machines"]);
    }

    [Fact]
    public async Task Accept_starts_commissioning_of_new_machines_and_returns_them()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var fresh = await MachineSetup.CreateNewAsync(admin);
        var ready = await _machines.CreateReadyAsync(admin);

        var accepted = await (await admin.Client.PostOpAsync("machines/", "accept", ("machines", fresh), ("machines", ready))).ShouldBeJsonAsync();

        accepted.EnumerateArray().Select(m => (m.GetProperty("system_id").GetString(), m.GetProperty("status_name").GetString()))
            .ShouldBe([(fresh, "Commissioning")]);
        (await _machines.RowAsync(ready)).NodeStatus.ShouldBe(NodeStatus.READY);
        await _machines.ShouldBeAuditedAsync(admin, fresh, "start commissioning");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, fresh, "New -> Commissioning");
    }

    [Fact]
    public async Task Accept_of_an_unknown_machine_is_a_field_error_and_by_a_non_admin_forbidden()
    {
        var user = await host.CreateUserAsync();
        var fresh = await MachineSetup.CreateNewAsync(user);

        (await (await user.Client.PostOpAsync("machines/", "accept", ("machines", "zzzzzz"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["machines"]);
        await (await user.Client.PostOpAsync("machines/", "accept", ("machines", fresh))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await _machines.RowAsync(fresh)).NodeStatus.ShouldBe(NodeStatus.NEW);
    }

    [Fact]
    public async Task Accept_all_commissions_every_new_machine_and_is_admin_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var first = await MachineSetup.CreateNewAsync(admin);
        var second = await MachineSetup.CreateNewAsync(user);

        await (await user.Client.PostOpAsync("machines/", "accept_all")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        var accepted = await (await admin.Client.PostOpAsync("machines/", "accept_all")).ShouldBeJsonAsync();

        accepted.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ShouldContain(first);
        accepted.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ShouldContain(second);
        (await _machines.RowAsync(first)).NodeStatus.ShouldBe(NodeStatus.COMMISSIONING);
        (await _machines.RowAsync(second)).NodeStatus.ShouldBe(NodeStatus.COMMISSIONING);
    }

    [Fact]
    public async Task List_allocated_lists_only_the_callers_allocated_machines()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var first = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        var second = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);
        await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, other);

        var all = await (await user.Client.GetOpAsync("machines/", "list_allocated")).ShouldBeJsonAsync();
        var one = await (await user.Client.GetOpAsync("machines/", "list_allocated", ("id", second))).ShouldBeJsonAsync();

        all.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ShouldBe([first, second]);
        one.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ShouldBe([second]);
    }

    [Fact]
    public async Task Power_parameters_of_several_machines_maps_system_ids_to_parameters_for_admins_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var first = await MachineSetup.CreateNewAsync(admin, ("power_parameters_power_address", "10.0.0.1"));
        var second = await MachineSetup.CreateNewAsync(admin);

        var parameters = await (await admin.Client.GetOpAsync("machines/", "power_parameters", ("id", first), ("id", second))).ShouldBeJsonAsync();

        parameters.EnumerateObject().Select(p => p.Name).Order().ShouldBe(new[] { first, second }.Order());
        parameters.GetProperty(first).GetProperty("power_address").GetString().ShouldBe("10.0.0.1");
        parameters.GetProperty(second).ValueKind.ShouldBe(JsonValueKind.Object);
        (await (await user.Client.GetOpAsync("machines/", "power_parameters")).ShouldBeTextAsync(HttpStatusCode.Forbidden))
            .ShouldBe("This method is reserved for admin users.");
    }

    [Fact]
    public async Task Set_zone_moves_the_nodes_and_records_audit_events()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var zone = await _machines.NewZoneAsync();
        var first = await MachineSetup.CreateNewAsync(admin);
        var second = await MachineSetup.CreateNewAsync(admin);

        await (await admin.Client.PostOpAsync("machines/", "set_zone", ("zone", zone), ("nodes", first), ("nodes", second))).ShouldBeStatusAsync(HttpStatusCode.OK);

        foreach (var systemId in new[] { first, second })
        {
            (await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("zone").GetProperty("name").GetString().ShouldBe(zone);
            await _machines.ShouldBeAuditedAsync(admin, systemId, "set_zone");
        }
    }

    [Fact]
    public async Task Set_pool_moves_the_machines()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var pool = await _machines.NewPoolAsync();
        var systemId = await MachineSetup.CreateNewAsync(admin);

        await (await admin.Client.PostOpAsync("machines/", "set_pool", ("pool", pool), ("machines", systemId))).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("pool").GetProperty("name").GetString().ShouldBe(pool);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "set_pool");
    }

    [Fact]
    public async Task Set_zone_and_set_pool_refuse_non_admins_and_unknown_targets()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var zone = await _machines.NewZoneAsync();
        var systemId = await MachineSetup.CreateNewAsync(user);

        await (await user.Client.PostOpAsync("machines/", "set_zone", ("zone", zone), ("nodes", systemId))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync("machines/", "set_pool", ("pool", "default"), ("machines", systemId))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        (await (await admin.Client.PostOpAsync("machines/", "set_zone", ("zone", "no-such-zone"), ("nodes", systemId))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["zone"]);
        (await (await admin.Client.PostOpAsync("machines/", "set_pool", ("pool", "no-such-pool"), ("machines", systemId))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["pool"]);

        (await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync()).GetProperty("zone").GetProperty("name").GetString().ShouldBe("default");
    }
}
