using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// Turns commissioning output into machine fields (CPU, memory, disks, NICs …) — implemented by
/// the built-in scripts' processor. The metadata server calls every registered implementation;
/// when none is registered, output is stored but not processed (there is deliberately no default).
/// </summary>
/// <remarks>
/// Calls happen inside the signal's transaction with the node's row locked, so processing sees
/// and writes a consistent machine. Each call runs under its own savepoint: an implementation
/// that throws has its writes undone, the result is marked FAILED (as MAAS fails a script whose
/// output could not be processed) and a SCRIPT_RESULT_ERROR event is recorded.
/// </remarks>
public interface ICommissioningResults
{
    /// <summary>
    /// A commissioning script's stdout arrived (any commissioning script; implementations pick
    /// the names they understand and ignore the rest).
    /// </summary>
    Task ProcessAsync(CommissioningOutput output, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Commissioning ended with no failed script (the machine goes Ready, New or on to testing):
    /// the moment MAAS re-evaluates tag definitions. A throw is recorded as an event and the
    /// machine still moves on.
    /// </summary>
    Task CommissioningPassedAsync(long nodeId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}

/// <summary>One commissioning result as stored: <paramref name="Stdout"/> is the bytes the node uploaded.</summary>
public sealed record CommissioningOutput(
    long NodeId, string SystemId, long ScriptResultId, string ScriptName, int? ExitStatus, ReadOnlyMemory<byte> Stdout, ReadOnlyMemory<byte> Result);
