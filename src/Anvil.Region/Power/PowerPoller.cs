using Anvil.Data;
using Anvil.Data.Power;
using Anvil.Domain.Power;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Power;

/// <summary>How often the region refreshes machines' power states, and how much of a rack a pass may take at once.</summary>
public sealed record PowerPollerOptions
{
    /// <summary>Every pollable machine is read once per interval (anvild <c>--power-poll-interval</c>, seconds).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Polls one rack runs at once; MAAS's rack power monitor queries at most 5 nodes concurrently.</summary>
    public int MaxQueriesPerRack { get; init; } = 5;
}

/// <summary>
/// Keeps <c>power_state</c> fresh: every interval it reads every machine with a queryable power type
/// through a rack (<see cref="IPowerService.PollAsync"/>, which records the answer in one statement).
/// A pass is spread evenly over the interval — query i of n starts at i × interval / n — rather than
/// sent in one burst, and machines that share a BMC are placed as far apart as the pass allows; the
/// power service keeps it to one request per BMC at a time, divides BMCs over the racks and caps each
/// rack. A failed query marks that machine's state <c>error</c> (done by the power service) and does
/// not stop the pass.
/// </summary>
internal sealed partial class PowerPoller(Database db, IPowerService power, PowerPollerOptions options, TimeProvider clock, ILogger<PowerPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every pollable machine, spread over one interval; returns how many queries succeeded.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var types = PowerDrivers.All.Values.Where(d => d.Queryable).Select(d => d.Name).ToList();
        IReadOnlyList<PollTarget> targets;
        try
        {
            targets = await db.ReadAsync(c => PowerStates.PollTargetsAsync(c, types, ct), ct);
        }
        catch (Npgsql.NpgsqlException e)
        {
            PassFailed(logger, e.Message);
            return 0;
        }

        var order = Interleave(targets);
        var start = clock.GetUtcNow();
        var succeeded = 0;
        var running = new List<Task>(order.Count);
        for (var i = 0; i < order.Count; i++)
        {
            var wait = start + (options.Interval * i / order.Count) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, ct);
            var machine = order[i];
            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await power.PollAsync(machine.SystemId, machine.PowerType, ct);
                        Interlocked.Increment(ref succeeded);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        QueryFailed(logger, machine.SystemId, e.Message);
                    }
                },
                ct));
        }

        await Task.WhenAll(running);
        return succeeded;
    }

    /// <summary>The first machine of every BMC, then the second of every BMC, …: machines sharing a BMC end up far apart.</summary>
    internal static List<PollTarget> Interleave(IReadOnlyList<PollTarget> targets)
    {
        var byBmc = targets.GroupBy(t => t.Bmc, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var order = new List<PollTarget>(targets.Count);
        for (var round = 0; order.Count < targets.Count; round++)
            order.AddRange(byBmc.Where(g => g.Count > round).Select(g => g[round]));
        return order;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power poll of {SystemId} failed: {Reason}")]
    private static partial void QueryFailed(ILogger logger, string systemId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power poll pass failed: {Reason}")]
    private static partial void PassFailed(ILogger logger, string reason);
}
