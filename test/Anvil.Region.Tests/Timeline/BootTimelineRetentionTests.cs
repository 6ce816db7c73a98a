using Anvil.Data;
using Anvil.Data.Timeline;
using Anvil.Region.Timeline;
using Anvil.Testing;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Timeline;

/// <summary>The region keeps boot_event within its limits on its own schedule (docs/architecture/timeline.md, Retention).</summary>
public sealed class BootTimelineRetentionTests
{
    private const string Mac = "52:54:00:77:00:01";

    [Fact]
    public async Task Rows_only_the_racks_wrote_are_capped_at_start_and_again_every_interval()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var db = new Database(database.DataSource);
        var clock = new ManualTimeProvider { ControlsTimers = true };
        using var timeline = new BootTimeline(db, clock, NullLogger<BootTimeline>.Instance, new BootEventLimits(TimeSpan.FromDays(7), KeepPerKey: 3, KeepTotal: 1_000));
        await RackRowsAsync(db, clock.GetUtcNow(), "a", 5);

        await timeline.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => (await KindsAsync(db)).Count == 3 && clock.PendingTimers > 0, "the pass at start");
            (await KindsAsync(db)).ShouldBe(["a2", "a3", "a4"]);
            await RackRowsAsync(db, clock.GetUtcNow().AddMinutes(1), "b", 4);

            clock.Advance(BootTimeline.PruneInterval);

            await WaitUntilAsync(async () => (await KindsAsync(db)).Count == 3, "the pass after one interval");
            (await KindsAsync(db)).ShouldBe(["b1", "b2", "b3"]);
        }
        finally
        {
            await timeline.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>DHCP rows of one MAC, as a rack's batch inserts them (the region's own queue is not involved).</summary>
    private static Task<int> RackRowsAsync(Database db, DateTimeOffset from, string prefix, int count) =>
        db.ReadAsync(
            c => BootEventStore.InsertAsync(c, [.. Enumerable.Range(0, count).Select(i => new BootEventRow(from.AddSeconds(i), "dhcp", $"{prefix}{i}", Mac: Mac, Source: "rack1"))], CancellationToken.None),
            CancellationToken.None);

    private static async Task<List<string>> KindsAsync(Database db) =>
        [.. (await db.ReadAsync(c => BootEventStore.ForMacAsync(c, Mac, null, 100, CancellationToken.None), CancellationToken.None)).Select(e => e.Kind)];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
