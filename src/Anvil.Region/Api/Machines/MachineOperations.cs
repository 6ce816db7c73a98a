using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Ipam;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Anvil.Region.Metadata;
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

    /// <remarks>Operations that start commissioning, testing or erasing run the scripts in <c>scripts</c> (the defaults when null).</remarks>
    public Task<Machine> RunAsync(
        string systemId, Actor actor, Func<Machine, LifecycleOutcome> operation, CancellationToken ct, ScriptRequest? scripts = null) =>
        RunAsync(systemId, actor, (m, _, _) => Task.FromResult(operation(m)), ct, scripts);

    /// <summary>
    /// As above, for an operation that reads more of the locked machine in its transaction before
    /// it decides; an exception it throws rolls everything back.
    /// </summary>
    public async Task<Machine> RunAsync(
        string systemId,
        Actor actor,
        Func<Machine, NpgsqlConnection, NpgsqlTransaction, Task<LifecycleOutcome>> operation,
        CancellationToken ct,
        ScriptRequest? scripts = null)
    {
        var (machine, outcome) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var m = await LockMachineAsync(c, tx, systemId, ct) ?? throw NotFound(systemId);
                var before = m.Status;
                var result = await operation(m, c, tx);
                await SaveAsync(c, tx, m, before, result, actor, ct, scripts ?? ScriptRequest.Defaults);
                return (m, result);
            },
            ct);
        await ApplyPowerAsync(machine, outcome.Power, ct);
        return machine;
    }

    /// <summary>
    /// Saves what a lifecycle operation changed, its events, and the addresses that follow from the
    /// status change, all in the caller's transaction: AUTO links get their addresses when
    /// deployment starts (an exhausted subnet refuses the deploy with 503), and give them back when
    /// the machine returns to Ready. Starting commissioning, testing or erasing creates the script
    /// set the machine will run (<paramref name="scripts"/>: what the user asked for; null for
    /// changes no user asked for).
    /// </summary>
    public static async Task SaveAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine m, NodeStatus before, LifecycleOutcome outcome, Actor? actor, CancellationToken ct,
        ScriptRequest? scripts = null)
    {
        await MachineStore.SaveLifecycleAsync(c, tx, m, ct);
        await EventStore.RecordAllAsync(c, tx, m.Id, outcome.Events, actor, ct);
        if (m.Status == NodeStatus.DEPLOYING && before != NodeStatus.DEPLOYING)
            await IpAllocator.Shared.AssignAutoAddressesAsync(c, tx, m.Id, ct);
        if (m.Status == NodeStatus.READY && before != NodeStatus.READY)
            await IpAllocator.ReleaseAutoAddressesOfNodeAsync(c, tx, m.Id, ct);
        await ScriptSetLauncher.OnStatusSavedAsync(c, tx, m, before, scripts, ct);
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
