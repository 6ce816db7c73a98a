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
/// Every <see cref="PruneInterval"/>, whether or not the region itself recorded anything (a storm
/// of unknown MACs reaches the table only through the racks), the table is cut to its
/// <see cref="BootEventLimits"/>.
/// </summary>
public sealed partial class BootTimeline(Database db, TimeProvider clock, ILogger<BootTimeline> logger, BootEventLimits? limits = null) : BackgroundService
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);
    private const int Capacity = 100_000;
    private const int BatchSize = 1_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly Channel<BootEventRow> queue = Channel.CreateBounded<BootEventRow>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private long dropped;
    private long stored;
    private long prunedUpTo;

    /// <summary>Rows given up because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Rows written so far.</summary>
    public long Stored => Interlocked.Read(ref stored);

    public DateTimeOffset Now => clock.GetUtcNow();

    public BootEventLimits Limits { get; } = limits ?? BootEventLimits.Default;

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

    /// <summary>
    /// One retention pass (<see cref="BootEventRetention"/>); the per-key caps look only at rows
    /// written since the previous pass. Returns the rows deleted.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var pass = await db.ReadAsync(c => BootEventRetention.PruneAsync(c, clock.GetUtcNow(), Limits, Interlocked.Read(ref prunedUpTo), ct), ct);
        Interlocked.Exchange(ref prunedUpTo, pass.LastId);
        return pass.Deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pruning = PruneEveryIntervalAsync(stoppingToken);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(FlushInterval, clock, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }

        await pruning;
    }

    private async Task PruneEveryIntervalAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                try
                {
                    await PruneAsync(ct);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                {
                    PruneFailed(logger, e.Message);
                }

                await Task.Delay(PruneInterval, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Boot timeline: retention pass failed, the next one tries again: {Reason}")]
    private static partial void PruneFailed(ILogger logger, string reason);
}
