using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>power_on, power_off, query_power_state, power_parameters, details, get_token and workload annotations.</summary>
public sealed class MachinePowerAndDataOpsTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Power_on_of_an_allocated_machine_starts_deploying_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "power_on", ("comment", "boot"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYING);
        await _machines.ShouldBeAuditedAsync(user, systemId, "power on");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Allocated -> Deploying");
        (await MachineSetup.EventsAsync(user, systemId, "DEBUG")).ShouldContain(e => e.Type == "User powering up node" && e.Description == "boot");
    }

    [Fact]
    public async Task Power_on_of_a_deployed_machine_keeps_its_status()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "power_on")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYED);
        await _machines.ShouldBeAuditedAsync(user, systemId, "power on");
    }

    [Fact]
    public async Task Power_on_of_a_machine_nobody_owns_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await _machines.CreateReadyAsync(admin);

        (await (await admin.Client.PostOpAsync($"machines/{systemId}/", "power_on")).ShouldBeTextAsync(HttpStatusCode.Conflict))
            .ShouldBe("Can't start node: it hasn't been allocated.");
    }

    [Fact]
    public async Task Power_off_of_a_deployed_machine_is_accepted_and_audited()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "power_off", ("stop_mode", "soft"), ("comment", "maintenance"))).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.DEPLOYED);
        await _machines.ShouldBeAuditedAsync(user, systemId, "power off");
        (await MachineSetup.EventsAsync(user, systemId, "DEBUG")).ShouldContain(e => e.Type == "User powering down node" && e.Description == "maintenance");
    }

    [Fact]
    public async Task Power_off_while_an_operation_runs_is_409()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYING, user);

        await (await user.Client.PostOpAsync($"machines/{systemId}/", "power_off")).ShouldBeTextAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Query_power_state_of_a_manually_powered_machine_is_unknown()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);

        var state = await (await user.Client.GetOpAsync($"machines/{systemId}/", "query_power_state")).ShouldBeJsonAsync();

        state.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ShouldBe([("state", "unknown")]);
    }

    [Fact]
    public async Task Power_parameters_are_shown_to_admins_only()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(admin, ("power_parameters_power_address", "10.1.2.3"), ("power_parameters_power_user", "ops"));

        var parameters = await (await admin.Client.GetOpAsync($"machines/{systemId}/", "power_parameters")).ShouldBeJsonAsync();

        parameters.GetProperty("power_address").GetString().ShouldBe("10.1.2.3");
        parameters.GetProperty("power_user").GetString().ShouldBe("ops");
        await (await user.Client.GetOpAsync($"machines/{systemId}/", "power_parameters")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Details_are_a_bson_document_of_the_probed_lshw_and_lldp()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(admin);
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(
                "INSERT INTO node_probed_details (node_id, lshw) SELECT id, '<list/>' FROM node WHERE system_id = @systemId", new { systemId }, tx),
            CancellationToken.None);

        var response = await user.Client.GetOpAsync($"machines/{systemId}/", "details");

        await response.ShouldBeStatusAsync(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/bson");
        var document = ReadBinaryDocument(await response.Content.ReadAsByteArrayAsync());
        document.Keys.ShouldBe(["lshw", "lldp"]);
        document["lshw"].ShouldBe("<list/>");
        document["lldp"].ShouldBeNull();
    }

    [Fact]
    public async Task Get_token_gives_an_admin_the_machines_metadata_token_made_on_first_need_and_is_forbidden_to_users()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await MachineSetup.CreateNewAsync(admin);

        var token = await (await admin.Client.GetOpAsync($"machines/{systemId}/", "get_token")).ShouldBeJsonAsync();

        token.GetProperty("token_key").GetString().ShouldNotBeNullOrEmpty();
        token.GetProperty("token_secret").GetString()!.Length.ShouldBe(32);
        await (await user.Client.GetOpAsync($"machines/{systemId}/", "get_token")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Set_workload_annotations_by_the_owner_adds_replaces_and_with_an_empty_value_deletes()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, user);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "set_workload_annotations", ("app", "db"), ("team", "storage"))).ShouldBeJsonAsync();

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "set_workload_annotations", ("app", "web"), ("team", ""))).ShouldBeJsonAsync();

        Annotations(machine.GetProperty("workload_annotations")).ShouldBe([("app", "web")]);
        Annotations(machine.GetProperty("owner_data")).ShouldBe([("app", "web")]);
    }

    [Fact]
    public async Task Set_owner_data_is_an_alias_of_set_workload_annotations()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.ALLOCATED, user);

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "set_owner_data", ("juju", "unit-1"))).ShouldBeJsonAsync();

        Annotations(machine.GetProperty("workload_annotations")).ShouldBe([("juju", "unit-1")]);
    }

    [Fact]
    public async Task Set_workload_annotations_by_someone_other_than_the_owner_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var systemId = await _machines.CreateInStateAsync(admin, NodeStatus.DEPLOYED, owner);

        await (await other.Client.PostOpAsync($"machines/{systemId}/", "set_workload_annotations", ("app", "x"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "set_workload_annotations", ("app", "x"))).ShouldBeTextAsync(HttpStatusCode.Conflict);

        (await _machines.RowAsync(systemId)).WorkloadAnnotations.ShouldBe("{}");
    }

    private static List<(string, string?)> Annotations(JsonElement annotations) =>
        annotations.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();

    /// <summary>Reads a BSON document whose values are generic binary (as UTF-8 text) or null, checking its framing.</summary>
    private static Dictionary<string, string?> ReadBinaryDocument(byte[] bson)
    {
        BinaryPrimitives.ReadInt32LittleEndian(bson).ShouldBe(bson.Length);
        bson[^1].ShouldBe((byte)0);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var at = 4;
        while (bson[at] != 0)
        {
            var kind = bson[at++];
            var nameEnd = Array.IndexOf(bson, (byte)0, at);
            var name = Encoding.UTF8.GetString(bson, at, nameEnd - at);
            at = nameEnd + 1;
            if (kind == 0x0A)
            {
                result[name] = null;
                continue;
            }

            kind.ShouldBe((byte)0x05, $"element {name}");
            var length = BinaryPrimitives.ReadInt32LittleEndian(bson.AsSpan(at));
            bson[at + 4].ShouldBe((byte)0, "generic binary subtype");
            result[name] = Encoding.UTF8.GetString(bson, at + 5, length);
            at += 5 + length;
        }

        (at + 1).ShouldBe(bson.Length);
        return result;
    }
}
