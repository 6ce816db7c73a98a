using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Machines;
using Anvil.Data.Scripts;
using Anvil.Data.Users;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Machines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Monitoring;

/// <summary>
/// Every minute: fails machines whose operation (commissioning, deploying, releasing, …) has
/// passed its deadline or whose script runner stopped sending its heartbeat, and forgets OAuth nonces too old to be replayed. Safe with several
/// regions: each machine is re-checked under its row lock.
/// </summary>
internal sealed partial class StatusMonitor(
    Database db, ConfigStore config, UserStore users, MachineOperations operations, TimeProvider time, ILogger<StatusMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var timeout = await config.GetIntAsync("node_timeout", ct);
        var failed = 0;
        foreach (var systemId in await db.ReadAsync(c => MachineStore.ExpiredAsync(c, now, ct), ct))
        {
            var (machine, outcome) = await db.InTransactionAsync(
                async (c, tx) =>
                {
                    var m = await MachineStore.LockAsync(c, tx, systemId, ct);
                    var before = m?.Status;
                    var result = m is null ? null : MachineLifecycle.CheckTimeout(m, now, timeout);
                    if (m is null || result is null)
                        return (m, result);
                    await MachineOperations.SaveAsync(c, tx, m, before!.Value, result, null, ct);
                    return (m, result);
                },
                ct);
            if (machine is not null && outcome is not null)
            {
                failed++;
                LogTimedOut(machine.SystemId, machine.Status);
                await operations.ApplyPowerAsync(machine, outcome.Power, ct);
            }
        }

        foreach (var systemId in await db.ReadAsync(c => ScriptSetStore.FlatlinedAsync(c, now - TimeSpan.FromMinutes(timeout), ct), ct))
        {
            var (machine, outcome) = await db.InTransactionAsync(
                async (c, tx) => await MachineStore.LockAsync(c, tx, systemId, ct) is { } m
                    ? (m, await ScriptHeartbeat.CheckAsync(c, tx, m, now, timeout, ct))
                    : (null, null),
                ct);
            if (machine is not null && outcome is not null)
            {
                failed++;
                LogHeartbeatLost(machine.SystemId, timeout, machine.Status);
                await operations.ApplyPowerAsync(machine, outcome.Power, ct);
            }
        }

        await users.PurgeNoncesAsync(now - TimeSpan.FromMinutes(15), ct);
        return failed;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Machine {SystemId} timed out; now {Status}")]
    private partial void LogTimedOut(string systemId, NodeStatus status);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Machine {SystemId} has not been heard from for {Minutes} minutes; now {Status}")]
    private partial void LogHeartbeatLost(string systemId, int minutes, NodeStatus status);
}
