using Anvil.Data;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Power;

/// <summary>
/// Lets a machine's lifecycle act on a power state read from its BMC
/// (<see cref="MachineLifecycle.ObservePower"/>): the row is locked and re-read, so a state seen
/// twice (the action's answer and a poll) completes the change once.
/// </summary>
internal static class PowerObservation
{
    public static Task ApplyAsync(Database db, string systemId, string powerState, CancellationToken ct) =>
        db.InTransactionAsync(
            async (c, tx) =>
            {
                if (await MachineOperations.LockMachineAsync(c, tx, systemId, ct) is not { } machine)
                    return;
                var before = machine.Status;
                var outcome = MachineLifecycle.ObservePower(machine, powerState);
                if (outcome.Events.Count > 0)
                    await MachineOperations.SaveAsync(c, tx, machine, before, outcome, actor: null, ct);
            },
            ct);
}
