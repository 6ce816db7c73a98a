using Anvil.Data.Metadata;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// THE one place that decides whether a <c>for_hardware</c> script applies to a node
/// (MAAS matches <c>pci:</c>, <c>usb:</c>, <c>modalias:</c>, <c>system_vendor:</c> … against what
/// commissioning found).
/// </summary>
/// <remarks>
/// TODO(scripts-api): wire the ForHardware matcher (src/Anvil.Domain/Scripts/ForHardware*.cs) here.
/// Until then every script is taken to match, so explicitly requested for_hardware scripts run
/// everywhere; scripts nobody requested are still left out, as MAAS's default selection has no
/// for_hardware scripts in it.
/// </remarks>
internal static class ScriptSelection
{
    /// <summary>Whether <paramref name="script"/> should run on the node; always true for scripts not tied to hardware.</summary>
    public static Task<bool> AppliesToNodeAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ScriptRecord script, CancellationToken ct) =>
        Task.FromResult(true);
}
