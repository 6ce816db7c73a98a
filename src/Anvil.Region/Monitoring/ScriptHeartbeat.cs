using Anvil.Data.Scripts;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Machines;
using Npgsql;

namespace Anvil.Region.Monitoring;

/// <summary>
/// The script runner's heartbeat (a signal every 2 minutes, maas-api.md §5.4): a commissioning or
/// testing machine whose current set has not been heard from for <c>node_timeout</c> minutes has
/// died or hung, so it is marked failed, what it had not finished timed out, and powered off
/// unless the user kept SSH open to look at it. A running <c>may_reboot</c> script explains the
/// silence: the boot deadline takes over instead, counted from the last heartbeat.
/// </summary>
internal static class ScriptHeartbeat
{
    public static string LostMessage(int nodeTimeoutMinutes) => $"Node has not been heard from for the last {nodeTimeoutMinutes} minutes";

    /// <summary>Checks the locked machine; the outcome when it was marked failed, else null.</summary>
    public static async Task<LifecycleOutcome?> CheckAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine m, DateTimeOffset now, int nodeTimeoutMinutes, CancellationToken ct)
    {
        if (m.Status is not (NodeStatus.COMMISSIONING or NodeStatus.TESTING) || m.StatusExpires is not null)
            return null;
        var current = await ScriptSetStore.CurrentAsync(c, tx, m.Id, ct);
        var setId = m.Status == NodeStatus.COMMISSIONING ? current.Commissioning : current.Testing;
        if (setId is not { } id || await ScriptSetStore.GetAsync(c, tx, id, ct) is not { LastPing: { } lastPing }
            || lastPing >= now - TimeSpan.FromMinutes(nodeTimeoutMinutes))
        {
            return null;
        }

        var before = m.Status;
        if (await ScriptSetStore.RunningMayRebootAsync(c, tx, id, ct))
        {
            m.StatusExpires = lastPing + NodeStatusInfo.Timeout(m.Status, nodeTimeoutMinutes)!.Value;
            await MachineOperations.SaveAsync(c, tx, m, before, LifecycleOutcome.Nothing, null, ct);
            return null;
        }

        await ScriptResultStore.TimeOutRunningOrPendingAsync(c, tx, id, ct);
        var outcome = MachineLifecycle.MarkFailed(m, LostMessage(nodeTimeoutMinutes));
        if (!m.EnableSsh)
            outcome = outcome with { Power = PowerRequest.Off };
        await MachineOperations.SaveAsync(c, tx, m, before, outcome, null, ct);
        return outcome;
    }
}
