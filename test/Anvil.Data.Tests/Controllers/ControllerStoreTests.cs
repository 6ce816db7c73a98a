using Anvil.Data.Controllers;
using Anvil.Domain.Errors;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Controllers;

/// <summary>What the region↔rack link writes about a controller: its services and when it was last heard from.</summary>
public sealed class ControllerStoreTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReportAsync_inserts_then_updates_services_and_keeps_those_not_mentioned()
    {
        await using var database = await SeedAsync();
        var store = new ServiceStore(database.Database);

        await store.ReportAsync(2, [("rackd", "running", ""), ("dhcpd", "off", "")]);
        await store.ReportAsync(2, [("dhcpd", "dead", "exited 1"), ("tftp", "degraded", "slow")]);

        (await ServicesAsync(database, 2)).ShouldBe([
            new ServiceRecord("dhcpd", "dead", "exited 1"), new ServiceRecord("rackd", "running", ""), new ServiceRecord("tftp", "degraded", "slow")]);
    }

    [Fact]
    public async Task ReportAsync_refuses_an_unknown_status_or_a_repeated_name_and_writes_nothing()
    {
        await using var database = await SeedAsync();
        var store = new ServiceStore(database.Database);

        var badStatus = await Should.ThrowAsync<ValidationException>(() => store.ReportAsync(2, [("rackd", "running", ""), ("dhcpd", "sleeping", "")]));
        var twice = await Should.ThrowAsync<ValidationException>(() => store.ReportAsync(2, [("rackd", "running", ""), ("rackd", "off", "")]));

        badStatus.FieldErrors["services"].ShouldHaveSingleItem().ShouldContain("sleeping");
        twice.FieldErrors["services"].ShouldHaveSingleItem().ShouldContain("reported twice");
        (await ServicesAsync(database, 2)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ReportAsync_for_a_node_that_does_not_exist_is_not_found()
    {
        await using var database = await SeedAsync();

        await Should.ThrowAsync<NotFoundException>(() => new ServiceStore(database.Database).ReportAsync(999, [("rackd", "running", "")]));
    }

    [Fact]
    public async Task TouchAsync_records_when_a_controller_was_heard_from_and_never_moves_it_back()
    {
        await using var database = await SeedAsync();
        var store = new ControllerStore(database.Database);

        (await store.TouchAsync(2, At)).ShouldBeTrue();
        (await store.TouchAsync(2, At.AddSeconds(-30))).ShouldBeTrue();

        (await store.GetAsync(ControllerRole.Rack, "rack01", default))!.LastSeen.ShouldBe(At);
    }

    [Fact]
    public async Task TouchAsync_of_a_machine_changes_nothing()
    {
        await using var database = await SeedAsync();

        (await new ControllerStore(database.Database).TouchAsync(1, At)).ShouldBeFalse();

        await using var c = await database.DataSource.OpenConnectionAsync();
        (await c.ExecuteScalarAsync<DateTime?>("SELECT last_seen FROM node WHERE id = 1")).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_gives_each_role_its_controllers_by_id_with_version_and_services()
    {
        await using var database = await SeedAsync();
        await new ServiceStore(database.Database).ReportAsync(4, [("regiond", "running", ""), ("bind9", "running", "")]);
        var store = new ControllerStore(database.Database);

        var racks = await store.ListAsync(ControllerRole.Rack, null, default);
        var regions = await store.ListAsync(ControllerRole.Region, null, default);

        racks.Select(r => r.Node.SystemId).ShouldBe(["rack01", "both01"]);
        regions.Select(r => r.Node.SystemId).ShouldBe(["region01", "both01"]);
        racks[0].Version.ShouldBe("3.5.0");
        regions[1].Services.Select(s => s.Name).ShouldBe(["bind9", "regiond"]);
    }

    /// <summary>A machine (1), a rack (2), a region (3) and a region+rack controller (4).</summary>
    private static async Task<TestDatabase> SeedAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO node (id, system_id, hostname, node_type, domain_id, zone_id, controller_version) VALUES
                (1, 'mach01', 'machine', 0, 0, 1, ''), (2, 'rack01', 'rack', 2, 0, 1, '3.5.0'),
                (3, 'region01', 'region', 3, 0, 1, '3.5.0'), (4, 'both01', 'both', 4, 0, 1, '3.5.0');
            """);
        return database;
    }

    private static async Task<List<ServiceRecord>> ServicesAsync(TestDatabase database, long nodeId)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return [.. (await ServiceStore.ListAsync(c, null, [nodeId], default))[nodeId]];
    }
}
