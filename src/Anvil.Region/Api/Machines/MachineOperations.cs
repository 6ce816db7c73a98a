using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Anvil.Region.Power;
using Npgsql;

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
                var m = await LockMachineAsync(c, tx, systemId, ct) ?? throw NotFound(systemId);
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

    /// <summary>
    /// Locks the node when it is a machine; devices and controllers share the node table but
    /// machines/ does not serve them (MAAS answers 404), so they are null here.
    /// </summary>
    public static async Task<Machine?> LockMachineAsync(NpgsqlConnection c, NpgsqlTransaction tx, string systemId, CancellationToken ct) =>
        await MachineStore.LockAsync(c, tx, systemId, ct) is { NodeType: NodeType.MACHINE } machine ? machine : null;
}
