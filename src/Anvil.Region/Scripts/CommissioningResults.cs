using Anvil.Domain.Commissioning;
using Anvil.Region.Metadata;
using Dapper;
using Npgsql;

namespace Anvil.Region.Scripts;

/// <summary>
/// Dispatches a commissioning output to what it fills: the inventory, the probed details, the
/// tags. The metadata server calls it for every commissioning result it stores, inside the
/// signal's transaction; unreadable output throws <see cref="CommissioningOutputException"/>
/// before anything is written.
/// </summary>
internal sealed class CommissioningResults : ICommissioningResults
{
    public Task ProcessAsync(CommissioningOutput output, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ApplyAsync(connection, transaction, output.NodeId, output.ScriptName, output.Stdout, cancellationToken);

    /// <summary>Applies <paramref name="output"/> (stdout or combined output) of <paramref name="scriptName"/> to node <paramref name="nodeId"/>; other scripts are ignored.</summary>
    public async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string scriptName, ReadOnlyMemory<byte> output, CancellationToken ct)
    {
        switch (scriptName)
        {
            case MachineResourcesReader.ScriptName:
                {
                    var resources = MachineResourcesReader.Parse(output.Span);
                    await NodeInventory.ApplyAsync(c, tx, nodeId, resources, ct);
                    await NodeTags.SetAutomaticAsync(c, tx, nodeId, resources, ct);
                    break;
                }

            case ProbedXml.LshwScriptName:
                {
                    var lshw = ProbedXml.NormalizeLshw(output.Span);
                    await c.ExecuteAsync(new CommandDefinition(
                        """
                    INSERT INTO node_probed_details (node_id, lshw) VALUES (@nodeId, @lshw)
                    ON CONFLICT (node_id) DO UPDATE SET lshw = excluded.lshw
                    """,
                        new { nodeId, lshw },
                        tx,
                        cancellationToken: ct));
                    await NodeInventory.ApplyNamesAsync(c, tx, nodeId, LshwNames.From(lshw), ct);
                    await NodeTags.EvaluateDefinitionsAsync(c, tx, nodeId, ct);
                    break;
                }

            case ProbedXml.LldpScriptName:
                {
                    var lldp = ProbedXml.NormalizeLldp(output.Span);
                    await c.ExecuteAsync(new CommandDefinition(
                        """
                    INSERT INTO node_probed_details (node_id, lldp) VALUES (@nodeId, @lldp)
                    ON CONFLICT (node_id) DO UPDATE SET lldp = excluded.lldp
                    """,
                        new { nodeId, lldp },
                        tx,
                        cancellationToken: ct));
                    await NodeTags.EvaluateDefinitionsAsync(c, tx, nodeId, ct);
                    break;
                }

            // Modaliases, the kernel command line and the BMC configuration are kept as script
            // results only (the BMC's power parameters arrive as signal fields).
            default:
                break;
        }
    }
}
