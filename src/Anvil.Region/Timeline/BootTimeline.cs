using System.Threading.Channels;
using Anvil.Data;
using Anvil.Data.Timeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Timeline;

/// <summary>
/// The region's side of the boot timeline (docs/architecture/timeline.md). Recording never waits
/// for the database: rows go to a bounded queue (full: dropped and counted, never blocking a
/// metadata request or a power action) and a writer stores them in batches of one statement each.
/// Rows older than <see cref="Retention"/> are pruned every hour.
/// </summary>
public sealed partial class BootTimeline(Database db, TimeProvider clock, ILogger<BootTimeline> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private const int Capacity = 100_000;
    private const int BatchSize = 1_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Channel<BootEventRow> queue = Channel.CreateBounded<BootEventRow>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private long dropped;
    private long stored;

    /// <summary>Rows given up because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Rows written so far.</summary>
    public long Stored => Interlocked.Read(ref stored);

    public DateTimeOffset Now => clock.GetUtcNow();

    public void Record(BootEventRow row)
    {
        if (!queue.Writer.TryWrite(row))
            Interlocked.Increment(ref dropped);
    }

    /// <summary>Writes what is queued now (tests, and shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<BootEventRow>(BatchSize);
        while (queue.Reader.TryRead(out var row))
        {
            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                await WriteAsync(batch, ct);
                batch.Clear();
            }
        }

        await WriteAsync(batch, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = clock.GetUtcNow();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(FlushInterval, clock, stoppingToken);
                await FlushAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPrune)
                {
                    nextPrune = clock.GetUtcNow() + PruneInterval;
                    await db.ReadAsync(c => BootEventStore.PruneAsync(c, clock.GetUtcNow() - Retention, stoppingToken), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task WriteAsync(List<BootEventRow> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
            return;
        try
        {
            var written = await db.ReadAsync(c => BootEventStore.InsertAsync(c, batch, ct), ct);
            Interlocked.Add(ref stored, written);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // The timeline is a diagnostic: losing a batch while the database is away must not stop anything.
            Interlocked.Add(ref dropped, batch.Count);
            WriteFailed(logger, batch.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Boot timeline: {Count} events not stored: {Reason}")]
    private static partial void WriteFailed(ILogger logger, int count, string reason);
}
