using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>POST machines/ (as a user, and anonymously for enlistment), is_registered and is_action_in_progress.</summary>
public sealed class MachinesCreateTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly string[] AnonymousFields =
    [
        "system_id", "hostname", "domain", "fqdn", "architecture", "status", "power_type", "power_state", "zone",
        "status_action", "status_message", "status_name", "node_type", "resource_uri",
    ];

    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Create_by_an_admin_without_commissioning_makes_a_new_machine_with_an_interface_per_mac()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var hostname = RegionTestHost.Unique("web");
        var macs = new[] { MachineSetup.NewMac(), MachineSetup.NewMac() };

        var machine = await MachineSetup.CreateAsync(
            admin,
            ("hostname", hostname),
            ("architecture", "arm64"),
            ("mac_addresses", macs[0]),
            ("mac_addresses", macs[1].ToUpperInvariant()),
            ("description", "rack 4"),
            ("commission", "false"));

        machine.GetProperty("hostname").GetString().ShouldBe(hostname);
        machine.GetProperty("fqdn").GetString().ShouldBe($"{hostname}.maas");
        machine.GetProperty("architecture").GetString().ShouldBe("arm64/generic");
        machine.GetProperty("description").GetString().ShouldBe("rack 4");
        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.NEW);
        machine.GetProperty("status_name").GetString().ShouldBe("New");
        machine.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        machine.GetProperty("power_type").GetString().ShouldBe("manual");
        machine.GetProperty("zone").GetProperty("name").GetString().ShouldBe("default");
        machine.GetProperty("pool").GetProperty("name").GetString().ShouldBe("default");
        machine.GetProperty("interface_set").EnumerateArray().Select(i => (i.GetProperty("name").GetString(), i.GetProperty("mac_address").GetString()))
            .ShouldBe([("eth0", macs[0]), ("eth1", macs[1])]);
        var systemId = machine.GetProperty("system_id").GetString()!;
        systemId.Length.ShouldBe(6);
        machine.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/machines/{systemId}/");
        await _machines.ShouldBeAuditedAsync(admin, systemId, "create");
    }

    [Fact]
    public async Task Create_by_an_admin_commissions_by_default_and_records_the_status_change()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var machine = await (await admin.Client.PostAsync("machines/", ("architecture", "amd64/generic"), ("mac_addresses", MachineSetup.NewMac()), ("power_type", "manual")))
            .ShouldBeJsonAsync();

        var systemId = machine.GetProperty("system_id").GetString()!;
        machine.GetProperty("status_name").GetString().ShouldBe("Commissioning");
        machine.GetProperty("owner").GetString().ShouldBe(admin.Username);
        await _machines.ShouldBeAuditedAsync(admin, systemId, "start commissioning");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "New -> Commissioning");
    }

    [Fact]
    public async Task Create_by_a_user_never_commissions_and_generates_a_hostname()
    {
        var user = await host.CreateUserAsync();

        var machine = await (await user.Client.PostAsync("machines/", ("architecture", "amd64/generic"), ("mac_addresses", MachineSetup.NewMac()), ("power_type", "manual")))
            .ShouldBeJsonAsync();

        machine.GetProperty("status_name").GetString().ShouldBe("New");
        machine.GetProperty("hostname").GetString().ShouldNotBeNullOrEmpty();
        machine.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        await _machines.ShouldBeAuditedAsync(user, machine.GetProperty("system_id").GetString()!, "create");
    }

    [Fact]
    public async Task Create_deployed_makes_a_deployed_machine_owned_by_the_caller()
    {
        var user = await host.CreateUserAsync();

        var machine = await MachineSetup.CreateAsync(user, ("deployed", "true"), ("commission", "true"));

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYED);
        machine.GetProperty("status_name").GetString().ShouldBe("Deployed");
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
    }

    [Fact]
    public async Task Create_collects_every_field_error_into_one_400()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync(
            "machines/",
            ("architecture", "sparc"),
            ("mac_addresses", "not-a-mac"),
            ("hostname", "bad_host!"),
            ("power_type", "carrier-pigeon"),
            ("zone", "no-such-zone"),
            ("pool", "no-such-pool"))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["architecture", "hostname", "mac_addresses", "pool", "power_type", "zone"]);
        errors["mac_addresses"].ShouldBe(["'not-a-mac' is not a valid MAC address."]);
    }

    [Fact]
    public async Task Create_without_the_required_fields_names_them()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("machines/", ("hostname", RegionTestHost.Unique("h")))).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["architecture", "mac_addresses"]);
    }

    [Fact]
    public async Task Create_with_a_mac_another_machine_has_is_a_field_error_and_creates_nothing()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var mac = MachineSetup.NewMac();
        var hostname = RegionTestHost.Unique("dup");
        await MachineSetup.CreateAsync(admin, ("mac_addresses", mac));

        var errors = await (await MachineSetup.PostCreateAsync(admin.Client, ("mac_addresses", mac), ("hostname", hostname))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["mac_addresses"]);
        (await CountAsync("SELECT count(*) FROM node WHERE hostname = @hostname", new { hostname })).ShouldBe(0);
    }

    [Fact]
    public async Task Create_with_a_taken_hostname_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var hostname = RegionTestHost.Unique("dup");
        await MachineSetup.CreateAsync(admin, ("hostname", hostname));

        var errors = await (await MachineSetup.PostCreateAsync(admin.Client, ("hostname", hostname))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["hostname"]);
        (await CountAsync("SELECT count(*) FROM node WHERE hostname = @hostname", new { hostname })).ShouldBe(1);
    }

    [Fact]
    public async Task Anonymous_create_enlists_a_new_machine_and_shows_only_the_anonymous_fields()
    {
        using var anonymous = host.AnonymousClient();
        var mac = MachineSetup.NewMac();

        var machine = await (await new ApiClient(anonymous).PostAsync("machines/", ("architecture", "amd64/generic"), ("mac_addresses", mac)))
            .ShouldBeJsonAsync();

        machine.EnumerateObject().Select(p => p.Name).Order().ShouldBe(AnonymousFields.Order());
        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.NEW);
        var events = await MachineSetup.EventsAsync(await host.CreateUserAsync(admin: true), machine.GetProperty("system_id").GetString()!, "INFO");
        events.Select(e => e.Type).ShouldBe(["Enlisted"]);
    }

    [Fact]
    public async Task Anonymous_re_enlistment_with_a_known_mac_updates_the_new_machine_instead_of_duplicating_it()
    {
        var anonymous = new ApiClient(host.AnonymousClient());
        var mac = MachineSetup.NewMac();
        var first = await (await anonymous.PostAsync("machines/", ("architecture", "amd64/generic"), ("mac_addresses", mac))).ShouldBeJsonAsync();

        var second = await (await anonymous.PostAsync("machines/", ("architecture", "arm64/generic"), ("mac_addresses", mac), ("power_type", "manual")))
            .ShouldBeJsonAsync();

        second.GetProperty("system_id").GetString().ShouldBe(first.GetProperty("system_id").GetString());
        second.GetProperty("architecture").GetString().ShouldBe("arm64/generic");
        second.GetProperty("power_type").GetString().ShouldBe("manual");
        (await CountAsync("SELECT count(*) FROM interface WHERE mac_address = @mac::macaddr", new { mac })).ShouldBe(1);
    }

    [Fact]
    public async Task Anonymous_enlistment_with_the_mac_of_a_ready_machine_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var mac = MachineSetup.NewMac();
        var ready = await _machines.CreateReadyAsync(admin);
        var readyMac = (await (await admin.Client.GetAsync($"machines/{ready}/")).ShouldBeJsonAsync())
            .GetProperty("interface_set")[0].GetProperty("mac_address").GetString()!;

        var errors = await (await new ApiClient(host.AnonymousClient()).PostAsync("machines/", ("architecture", "amd64/generic"), ("mac_addresses", readyMac), ("mac_addresses", mac)))
            .ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["mac_addresses"]);
    }

    [Fact]
    public async Task Anonymous_list_of_machines_needs_credentials()
    {
        using var anonymous = host.AnonymousClient();

        await (await anonymous.GetAsync("machines/")).ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Anonymous_accept_is_refused_with_401()
    {
        using var anonymous = host.AnonymousClient();

        await (await new ApiClient(anonymous).PostOpAsync("machines/", "accept", ("machines", "abc123"))).ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Is_registered_for_a_user_ignores_only_retired_machines()
    {
        var user = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var (_, newMac) = await MachineWithMacAsync(admin);
        var (retired, retiredMac) = await MachineWithMacAsync(admin);
        await _machines.SetStateAsync(retired, NodeStatus.RETIRED, null);

        (await IsRegisteredAsync(user.Client, newMac)).ShouldBeTrue();
        (await IsRegisteredAsync(user.Client, retiredMac)).ShouldBeFalse();
        (await IsRegisteredAsync(user.Client, MachineSetup.NewMac())).ShouldBeFalse();
    }

    [Fact]
    public async Task Is_registered_for_an_anonymous_caller_also_ignores_new_and_commissioning_machines()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var anonymous = new ApiClient(host.AnonymousClient());
        var (_, newMac) = await MachineWithMacAsync(admin);
        var (commissioning, commissioningMac) = await MachineWithMacAsync(admin);
        await _machines.SetStateAsync(commissioning, NodeStatus.COMMISSIONING, admin.Id);
        var (ready, readyMac) = await MachineWithMacAsync(admin);
        await _machines.SetStateAsync(ready, NodeStatus.READY, null);

        (await IsRegisteredAsync(anonymous, newMac)).ShouldBeFalse();
        (await IsRegisteredAsync(anonymous, commissioningMac)).ShouldBeFalse();
        (await IsRegisteredAsync(anonymous, readyMac.ToUpperInvariant())).ShouldBeTrue();
    }

    [Fact]
    public async Task Is_registered_with_a_malformed_mac_is_a_field_error()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.GetOpAsync("machines/", "is_registered", ("mac_address", "zz:zz"))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["mac_address"]);
    }

    [Theory]
    [InlineData(NodeStatus.COMMISSIONING, true)]
    [InlineData(NodeStatus.DEPLOYING, true)]
    [InlineData(NodeStatus.READY, false)]
    [InlineData(NodeStatus.DEPLOYED, false)]
    public async Task Is_action_in_progress_is_true_while_commissioning_or_deploying(NodeStatus status, bool expected)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, mac) = await MachineWithMacAsync(admin);
        await _machines.SetStateAsync(systemId, status, admin.Id);

        var forUser = await (await admin.Client.GetOpAsync("machines/", "is_action_in_progress", ("mac_address", mac))).ShouldBeJsonAsync();
        var forAnonymous = await (await new ApiClient(host.AnonymousClient()).GetOpAsync("machines/", "is_action_in_progress", ("mac_address", mac))).ShouldBeJsonAsync();

        forUser.GetBoolean().ShouldBe(expected);
        forAnonymous.GetBoolean().ShouldBe(expected);
    }

    private static async Task<(string SystemId, string Mac)> MachineWithMacAsync(TestUser admin)
    {
        var mac = MachineSetup.NewMac();
        return (await MachineSetup.CreateNewAsync(admin, ("mac_addresses", mac)), mac);
    }

    private static async Task<bool> IsRegisteredAsync(ApiClient client, string mac) =>
        (await (await client.GetOpAsync("machines/", "is_registered", ("mac_address", mac))).ShouldBeJsonAsync()).GetBoolean();

    private Task<long> CountAsync(string sql, object args) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);
}
