using Anvil.Data.Scripts;
using Anvil.Domain.Machines;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// What a lifecycle change means for script sets, in the change's own transaction: starting
/// commissioning, testing or disk erasing creates the set the machine will run; a machine that
/// enters a failed status gives up what its current sets had not finished.
/// </summary>
internal static class ScriptSetLauncher
{
    /// <summary>The release script that erases disks.</summary>
    public const string WipeDisks = "wipe-disks";

    /// <remarks><c>scripts</c> is what the user asked for, or null when no user asked for the change (signals, timeouts).</remarks>
    public static async Task OnStatusSavedAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine m, NodeStatus before, ScriptRequest? scripts, CancellationToken ct)
    {
        if (m.Status == before)
            return;
        if (NodeStatusInfo.IsFailed(m.Status))
        {
            var current = await ScriptSetStore.CurrentAsync(c, tx, m.Id, ct);
            await ScriptResultStore.AbortRunningOrPendingAsync(
                c, tx, new[] { current.Commissioning, current.Testing, current.Installation }.OfType<long>().ToArray(), ct);
            return;
        }

        if (scripts is null)
            return;
        switch (m.Status)
        {
            case NodeStatus.COMMISSIONING:
                await ScriptSetFactory.CreateCommissioningAsync(c, tx, m.Id, m.PowerState, scripts.Commissioning, ct);
                // Commissioning runs without tests after it when none match.
                await ScriptSetFactory.CreateTestingAsync(c, tx, m.Id, m.PowerState, scripts.Testing, refuseWhenEmpty: false, ct);
                break;
            case NodeStatus.TESTING:
                await ScriptSetFactory.CreateTestingAsync(c, tx, m.Id, m.PowerState, scripts.Testing, refuseWhenEmpty: true, ct);
                break;
            case NodeStatus.DISK_ERASING:
                await ScriptSetFactory.CreateReleaseAsync(c, tx, m.Id, m.PowerState, [WipeDisks, .. scripts.Release], scripts.ReleaseValues, ct);
                break;
            case NodeStatus.RELEASING when scripts.Release.Count > 0:
                await ScriptSetFactory.CreateReleaseAsync(c, tx, m.Id, m.PowerState, scripts.Release, scripts.ReleaseValues, ct);
                break;
        }
    }
}
