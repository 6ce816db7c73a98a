using Anvil.Data.Scripts;
using Anvil.Domain.Scripts;
using Dapper;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// THE one place that decides whether a <c>for_hardware</c> script applies to a node: MAAS
/// matches <c>pci:</c>, <c>usb:</c>, <c>modalias:</c>, <c>system_vendor:</c> … against what
/// commissioning found (<see cref="ForHardware.Matches"/>). The node's hardware is read from its
/// PCI/USB devices (<c>node_device</c>, filled by commissioning), <c>hardware_info</c>, and the
/// modaliases the node's newest passed <c>maas-list-modaliases</c> result printed (its stored
/// output is the record of them: the node table has no column for them).
/// </summary>
internal static class ScriptSelection
{
    /// <summary>Whether <paramref name="script"/> should run on the node; always true for scripts not tied to hardware.</summary>
    public static async Task<bool> AppliesToNodeAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, ScriptRecord script, CancellationToken ct)
    {
        if (script.ForHardware.Length == 0)
            return true;
        return ForHardware.Matches(script.ForHardware, await HardwareAsync(c, tx, nodeId, ct));
    }

    private static async Task<NodeHardware> HardwareAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct)
    {
        var devices = (await c.QueryAsync<(int Bus, string Vendor, string Product)>(new CommandDefinition(
            "SELECT bus, lower(vendor_id), lower(product_id) FROM node_device WHERE node_id = @nodeId", new { nodeId }, tx, cancellationToken: ct))).ToList();
        var info = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT hardware_info::text FROM node WHERE id = @nodeId", new { nodeId }, tx, cancellationToken: ct));
        var hardwareInfo = new Dictionary<string, string>(StringComparer.Ordinal);
        if (info is not null && System.Text.Json.JsonDocument.Parse(info) is { RootElement.ValueKind: System.Text.Json.JsonValueKind.Object } document)
        {
            using (document)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                    hardwareInfo[property.Name] = property.Value.ValueKind == System.Text.Json.JsonValueKind.String ? property.Value.GetString()! : property.Value.ToString();
            }
        }

        var modaliases = await c.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            $"""
            SELECT r.stdout FROM script_result r JOIN script_set s ON s.id = r.script_set_id
            WHERE s.node_id = @nodeId AND r.script_name = @name AND r.status = {(int)ScriptStatus.Passed}
            ORDER BY r.id DESC LIMIT 1
            """,
            new { nodeId, name = Modaliases.ScriptName },
            tx,
            cancellationToken: ct));

        // node_device.bus: PCI 1, USB 2 (MAAS's NODE_DEVICE_BUS).
        return new NodeHardware(
            [.. devices.Where(d => d.Bus == 1).Select(d => $"{d.Vendor}:{d.Product}")],
            [.. devices.Where(d => d.Bus == 2).Select(d => $"{d.Vendor}:{d.Product}")],
            Modaliases.Parse(modaliases),
            hardwareInfo);
    }
}
