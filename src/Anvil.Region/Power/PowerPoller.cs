using Anvil.Data;
using Anvil.Data.Power;
using Anvil.Domain.Power;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Power;

/// <summary>How often the region refreshes machines' power states, and how many BMCs it asks at once.</summary>
public sealed record PowerPollerOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxConcurrentQueries { get; init; } = 16;
}

/// <summary>
/// Keeps <c>power_state</c> fresh: every interval it queries every machine with a queryable power
/// type through a rack (<see cref="IPowerService.QueryAsync"/>, which records the answer in one
/// statement). Machines that share a BMC are asked one after another, never at the same time;
/// distinct BMCs are asked in parallel up to a limit. A failed query marks that machine's state
/// <c>error</c> (done by the power service) and does not stop the pass.
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

    /// <summary>One pass over every pollable machine; returns how many queries succeeded.</summary>
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

        using var slots = new SemaphoreSlim(options.MaxConcurrentQueries);
        var succeeded = 0;
        var perBmc = targets.GroupBy(t => t.Bmc, StringComparer.Ordinal).Select(async bmc =>
        {
            await slots.WaitAsync(ct);
            try
            {
                foreach (var machine in bmc)
                {
                    try
                    {
                        await power.QueryAsync(machine.SystemId, machine.PowerType, ct);
                        Interlocked.Increment(ref succeeded);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        QueryFailed(logger, machine.SystemId, e.Message);
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(perBmc);
        return succeeded;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power poll of {SystemId} failed: {Reason}")]
    private static partial void QueryFailed(ILogger logger, string systemId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power poll pass failed: {Reason}")]
    private static partial void PassFailed(ILogger logger, string reason);
}
