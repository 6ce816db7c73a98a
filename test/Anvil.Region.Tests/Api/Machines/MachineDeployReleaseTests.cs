using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>POST machines/{id}/?op=deploy and op=release.</summary>
public sealed class MachineDeployReleaseTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Deploy_of_a_ready_machine_allocates_it_to_the_caller_first_then_starts_deploying()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("comment", "go"), ("agent_name", "juju"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYING);
        machine.GetProperty("status_name").GetString().ShouldBe("Deploying");
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        machine.GetProperty("osystem").GetString().ShouldBe("ubuntu");
        machine.GetProperty("distro_series").GetString().ShouldBe("noble");
        (await _machines.RowAsync(systemId)).StatusExpires.ShouldNotBeNull().ShouldBe(host.Clock.GetUtcNow().AddMinutes(30), TimeSpan.FromMilliseconds(1));
        await _machines.ShouldBeAuditedAsync(user, systemId, "deploy");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Ready -> Allocated", "Allocated -> Deploying");
        var debug = await MachineSetup.EventsAsync(user, systemId, "DEBUG");
        debug.Select(e => e.Type).ShouldContain("User acquiring node");
        debug.ShouldContain(e => e.Type == "User starting deployment" && e.Description == "go");
        debug.ShouldContain(e => e.Type == "Deploying" && e.Level == "INFO");
    }

    [Fact]
    public async Task Deploy_of_a_machine_the_caller_allocated_keeps_the_owner()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);
        await TestImages.AddDefaultAsync(host.Database);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeJsonAsync();

        machine.GetProperty("status_name").GetString().ShouldBe("Deploying");
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Allocated -> Deploying");
    }

    [Fact]
    public async Task Deploy_by_an_admin_of_a_ready_machine_owned_by_another_user_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await _machines.SetStateAsync(systemId, NodeStatus.READY, user.Id);

        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.READY);
        row.OwnerId.ShouldBe(user.Id);
    }

    [Theory]
    [InlineData(NodeStatus.NEW)]
    [InlineData(NodeStatus.DEPLOYED)]
    [InlineData(NodeStatus.BROKEN)]
    public async Task Deploy_from_a_status_that_cannot_deploy_is_409(NodeStatus status)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateInStateAsync(admin, status, admin);

        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeTextAsync(HttpStatusCode.Conflict);

        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(status);
    }

    [Theory]
    [InlineData("jammy", "ubuntu", "jammy")]
    [InlineData("ubuntu/jammy", "ubuntu", "jammy")]
    [InlineData("22.04", "ubuntu", "jammy")]
    [InlineData("ubuntu", "ubuntu", "noble")]
    [InlineData("debian/bookworm", "debian", "bookworm")]
    [InlineData("custom/my-image", "custom", "my-image")]
    public async Task Deploy_accepts_every_distro_series_form(string distroSeries, string osystem, string series)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        foreach (var name in new[] { "ubuntu/jammy", "ubuntu/noble", "debian/bookworm", "my-image" })
            await TestImages.AddAsync(host.Database, name);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", distroSeries))).ShouldBeJsonAsync();

        machine.GetProperty("osystem").GetString().ShouldBe(osystem);
        machine.GetProperty("distro_series").GetString().ShouldBe(series);
    }

    [Theory]
    [InlineData("distro_series", "windows/xp")]
    [InlineData("user_data", "not base64!")]
    public async Task Deploy_with_a_bad_field_is_a_400_dict_and_leaves_the_machine_ready(string field, string value)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);

        var errors = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", (field, value))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe([field]);
        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.READY);
        row.OwnerId.ShouldBeNull();
    }

    [Fact]
    public async Task Deploy_stores_the_user_data()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);
        var userData = Convert.ToBase64String("#cloud-config\n"u8.ToArray());

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("user_data", userData))).ShouldBeJsonAsync();

        var stored = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<string>("SELECT deploy_user_data FROM node WHERE system_id = @systemId", new { systemId }), CancellationToken.None);
        stored.ShouldBe(userData);
    }

    [Fact]
    public async Task Release_of_a_manually_powered_machine_makes_it_ready_at_once_and_forgets_owner_and_annotations()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeJsonAsync();
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "set_workload_annotations", ("app", "db"))).ShouldBeJsonAsync();

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "release", ("comment", "done"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        machine.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        machine.GetProperty("workload_annotations").EnumerateObject().ShouldBeEmpty();
        machine.GetProperty("owner_data").EnumerateObject().ShouldBeEmpty();
        machine.GetProperty("osystem").GetString().ShouldBe("");
        machine.GetProperty("distro_series").GetString().ShouldBe("");
        (await _machines.RowAsync(systemId)).StatusExpires.ShouldBeNull();
        await _machines.ShouldBeAuditedAsync(user, systemId, "release");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Ready -> Allocated", "Allocated -> Deploying", "Deploying -> Ready");
        (await MachineSetup.EventsAsync(user, systemId, "INFO")).ShouldContain(e => e.Type == "Released");
    }

    [Fact]
    public async Task Release_of_a_ready_machine_does_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        var machine = await (await admin.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId);
    }

    [Fact]
    public async Task Release_of_a_new_machine_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);

        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Release_with_erase_starts_disk_erasing_keeping_the_owner_until_done()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "release", ("erase", "true"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DISK_ERASING);
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Deployed -> Disk erasing");
    }
}
