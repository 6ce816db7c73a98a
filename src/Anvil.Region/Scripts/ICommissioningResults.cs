using Npgsql;

namespace Anvil.Region.Scripts;

/// <summary>
/// Turns a finished commissioning script's output into the machine's inventory (fields, disks,
/// NICs, devices, probed details, tags). The metadata server calls it for every commissioning
/// result it stores, inside the signal's transaction.
/// </summary>
public interface ICommissioningResults
{
    /// <summary>
    /// Applies <paramref name="output"/> (the script's stdout, or its combined output) of
    /// <paramref name="scriptName"/> to node <paramref name="nodeId"/>. Scripts with nothing to
    /// apply are ignored. Unreadable output throws
    /// <see cref="Anvil.Domain.Commissioning.CommissioningOutputException"/> before anything is written.
    /// </summary>
    Task ProcessAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string scriptName, ReadOnlyMemory<byte> output, CancellationToken ct);
}
