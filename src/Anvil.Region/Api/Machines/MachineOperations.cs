using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Anvil.Region.Power;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Runs one lifecycle operation on one machine: lock its row, let the domain decide, save the
/// machine and its events in the same transaction, and only after the commit touch its power.
/// </summary>
internal sealed class MachineOperations(Database db, IPowerService power, TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Machine> RunAsync(string systemId, Actor actor, Func<Machine, LifecycleOutcome> operation, CancellationToken ct)
    {
        var (machine, outcome) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineStore.LockAsync(c, tx, systemId, ct) ?? throw NotFound(systemId);
                var result = operation(m);
                await MachineStore.SaveLifecycleAsync(c, tx, m, ct);
                await EventStore.RecordAllAsync(c, tx, m.Id, result.Events, actor, ct);
                return (m, result);
            },
            ct);
        await ApplyPowerAsync(machine, outcome.Power, ct);
        return machine;
    }

    public Task ApplyPowerAsync(Machine machine, PowerRequest request, CancellationToken ct) =>
        request == PowerRequest.None ? Task.CompletedTask : power.ExecuteAsync(machine.SystemId, machine.PowerType, request, ct);

    public static NotFoundException NotFound(string systemId) => new("No Machine matches the given query.");
}
