using System.Diagnostics;
using Anvil.Data.Power;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Power;

public sealed class PowerStatesTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<string> MachineAsync(TestDatabase database)
    {
        var systemId = "pw" + Guid.NewGuid().ToString("N")[..6];
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            "INSERT INTO node (system_id, hostname, domain_id, zone_id, power_type) VALUES (@systemId, @systemId, 0, 1, 'webhook')", new { systemId });
        return systemId;
    }

    [Fact]
    public async Task Recording_a_power_state_is_exactly_one_sql_statement()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var systemId = await MachineAsync(database);
        await using var c = await database.DataSource.OpenConnectionAsync();
        var statements = new List<string>();
        using var listener = new ActivityListener
        {
            // Npgsql starts one activity per command it sends; count those on this connection's database.
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.GetTagItem("db.name") as string == c.Database || a.GetTagItem("db.namespace") as string == c.Database)
                {
                    lock (statements)
                        statements.Add(a.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        (await PowerStates.RecordAsync(c, systemId, "on", DateTimeOffset.UtcNow, Ct)).ShouldNotBeNull();

        statements.Count.ShouldBe(1, string.Join("\n", statements));
        (await c.ExecuteScalarAsync<string>("SELECT power_state FROM node WHERE system_id = @systemId", new { systemId })).ShouldBe("on");
    }

    [Fact]
    public async Task An_older_report_does_not_overwrite_a_newer_one()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var systemId = await MachineAsync(database);
        await using var c = await database.DataSource.OpenConnectionAsync();
        var now = DateTimeOffset.UtcNow;

        (await PowerStates.RecordAsync(c, systemId, "off", now, Ct)).ShouldNotBeNull();
        (await PowerStates.RecordAsync(c, systemId, "on", now.AddSeconds(-30), Ct)).ShouldBeNull();

        (await c.ExecuteScalarAsync<string>("SELECT power_state FROM node WHERE system_id = @systemId", new { systemId })).ShouldBe("off");
        (await PowerStates.RecordAsync(c, "nosuch", "on", now, Ct)).ShouldBeNull();
    }
}
