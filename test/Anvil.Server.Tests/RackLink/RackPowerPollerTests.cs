using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Webhook;
using Anvil.Region.Power;
using Anvil.Server.Support;
using Anvil.Testing;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>
/// The power poller against real racks and webhook BMCs, on a test clock: how a pass looks at the
/// BMCs (spread, one query per BMC at a time) and at the racks (shared, capped).
/// </summary>
public sealed class RackPowerPollerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_pass_reads_200_machines_spread_over_one_interval_and_two_racks_with_one_query_per_bmc_at_a_time()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync(clock);
        var (rackA, queriesA) = await CountingRackAsync(region);
        await using var _ = rackA;
        var (rackB, queriesB) = await CountingRackAsync(region);
        await using var __ = rackB;
        await AddMachinesAsync(region, bmc, machines: 200, machinesPerBmc: 2);
        var poller = new PowerPoller(region.Database, region.Services.GetRequiredService<IPowerService>(), new PowerPollerOptions { Interval = Interval }, clock, NullLogger<PowerPoller>.Instance);
        var start = clock.GetUtcNow();

        var pass = poller.RunOnceAsync(CancellationToken.None);
        // Ten steps of 6 s: query i of 200 is due at i × 0.3 s, so step k makes queries up to 20k due.
        for (var step = 0; step <= 10; step++)
        {
            var due = Math.Min(200, (20 * step) + 1);
            await RackHarness.WaitUntilAsync(() => bmc.QueryArrivals.Count >= due && bmc.Answered == bmc.Requests.Count, $"{due} queries at the BMCs");
            if (step < 10)
                clock.Advance(Interval / 10);
        }

        var polled = await pass.WaitAsync(TimeSpan.FromSeconds(30));

        var offsets = bmc.QueryArrivals.Select(t => t - start).ToList();
        output.WriteLine($"polled {polled}; rack A {queriesA.Count}, rack B {queriesB.Count}; max in flight per BMC {bmc.MaxInFlightPerBmc}, overall {bmc.MaxInFlight}; last query at +{offsets.Max().TotalSeconds} s; most per 6 s step {offsets.GroupBy(o => o).Max(g => g.Count())}");
        polled.ShouldBe(200);
        bmc.MaxInFlightPerBmc.ShouldBe(1);
        offsets.Max().ShouldBeLessThanOrEqualTo(Interval);
        offsets.GroupBy(o => o).Max(g => g.Count()).ShouldBeLessThanOrEqualTo(20, "no step of the clock releases more than its share of the pass");
        queriesA.Count.ShouldBeGreaterThanOrEqualTo(50);
        queriesB.Count.ShouldBeGreaterThanOrEqualTo(50);
        (queriesA.Count + queriesB.Count).ShouldBe(200);
        await using var check = await region.Database.DataSource.OpenConnectionAsync();
        (await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM node WHERE system_id LIKE 'poll%' AND power_state = 'off' AND power_state_updated IS NOT NULL")).ShouldBe(200);
    }

    [Fact]
    public async Task Polls_that_fall_due_together_take_at_most_five_queries_of_a_rack_at_once()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync(clock, answerDelay: TimeSpan.FromMilliseconds(30));
        var (rack, queries) = await CountingRackAsync(region);
        await using var _ = rack;
        await AddMachinesAsync(region, bmc, machines: 40, machinesPerBmc: 1);
        var poller = new PowerPoller(region.Database, region.Services.GetRequiredService<IPowerService>(), new PowerPollerOptions { Interval = Interval }, clock, NullLogger<PowerPoller>.Instance);

        var pass = poller.RunOnceAsync(CancellationToken.None);
        await RackHarness.WaitUntilAsync(() => bmc.QueryArrivals.Count >= 1, "the first query");
        clock.Advance(Interval);
        var polled = await pass.WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"polled {polled}; max in flight at the BMCs {bmc.MaxInFlight}");
        polled.ShouldBe(40);
        queries.Count.ShouldBe(40);
        bmc.MaxInFlight.ShouldBeLessThanOrEqualTo(new PowerPollerOptions().MaxQueriesPerRack);
        bmc.MaxInFlight.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Machines_sharing_a_bmc_are_never_queried_at_once_even_when_they_fall_due_together()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync(clock, answerDelay: TimeSpan.FromMilliseconds(20));
        var (rack, _) = await CountingRackAsync(region);
        await using var _ = rack;
        await AddMachinesAsync(region, bmc, machines: 40, machinesPerBmc: 20);
        var poller = new PowerPoller(region.Database, region.Services.GetRequiredService<IPowerService>(), new PowerPollerOptions { Interval = Interval }, clock, NullLogger<PowerPoller>.Instance);

        var pass = poller.RunOnceAsync(CancellationToken.None);
        await RackHarness.WaitUntilAsync(() => bmc.QueryArrivals.Count >= 1, "the first query");
        clock.Advance(Interval);
        var polled = await pass.WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"polled {polled}; max in flight per BMC {bmc.MaxInFlightPerBmc}, overall {bmc.MaxInFlight}");
        polled.ShouldBe(40);
        bmc.MaxInFlightPerBmc.ShouldBe(1);
        bmc.MaxInFlight.ShouldBeLessThanOrEqualTo(2);
    }

    /// <summary>A rack whose webhook driver counts the queries it runs.</summary>
    private static async Task<(RackHarness Rack, List<string> Queries)> CountingRackAsync(LinkedRegion region)
    {
        var rack = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), ["none"]);
        var queries = new List<string>();
        rack.Agent.Power = new PowerActions(
            new PowerDriverRegistry([new CountingDriver(new WebhookPowerDriver(new WebhookDriverOptions(), NullLogger<WebhookPowerDriver>.Instance), queries)]),
            TimeSpan.FromSeconds(30));
        await rack.WaitRegisteredAsync();
        return (rack, queries);
    }

    /// <summary>Webhook machines poll0…poll{n-1}; every <paramref name="machinesPerBmc"/> of them share a query URI (one chassis).</summary>
    private static async Task AddMachinesAsync(LinkedRegion region, RackPowerWebhookBmc bmc, int machines, int machinesPerBmc)
    {
        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(c, """
            INSERT INTO node (system_id, hostname, domain_id, zone_id, power_type, power_parameters)
            SELECT 'poll' || i, 'poll-' || i, 0, 1, 'webhook',
                   jsonb_build_object('power_on_uri', @url || '/on', 'power_off_uri', @url || '/off',
                                      'power_query_uri', @url || '/status/' || (i / @perBmc))
            FROM generate_series(0, @last) AS i
            """, new { url = bmc.Url, perBmc = machinesPerBmc, last = machines - 1 });
    }

    private sealed class CountingDriver(IPowerDriver inner, List<string> queries) : IPowerDriver
    {
        public PowerDriverDescription Description => inner.Description;

        public Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct)
        {
            lock (queries)
                queries.Add(parameters.Get("power_query_uri"));
            return inner.QueryAsync(parameters, ct);
        }

        public Task PowerOnAsync(PowerParameters parameters, CancellationToken ct) => inner.PowerOnAsync(parameters, ct);

        public Task PowerOffAsync(PowerParameters parameters, CancellationToken ct) => inner.PowerOffAsync(parameters, ct);

        public Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct) => inner.PowerCycleAsync(parameters, ct);

        public Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct) => inner.SetNextBootPxeAsync(parameters, ct);
    }
}
