using System.Text.Json.Nodes;
using Anvil.Data.Scripts;
using Anvil.Domain.Scripts;
using Dapper;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// A pending result whose storage parameter is <c>all</c> becomes one result per physical disk the
/// node has, each carrying that disk (id, name, model, serial, id_path) as its value and linked to it,
/// as MAAS does once commissioning has found the disks. Run when the node fetches a set's scripts, so
/// a testing set made before commissioning learns the disks commissioning found. A node without
/// known disks keeps <c>all</c>.
/// </summary>
internal static class StorageExpansion
{
    public static async Task ExpandAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, long setId, CancellationToken ct)
    {
        var results = (await ScriptResultStore.ListAsync(c, tx, setId, ct))
            .Where(r => r.Status == ScriptStatus.Pending && r.ScriptId is not null && StorageParameter(r.Parameters) is not null)
            .ToList();
        if (results.Count == 0)
            return;
        var disks = (await c.QueryAsync<Disk>(new CommandDefinition(
            "SELECT id, name, model, serial, id_path AS IdPath FROM blockdevice WHERE node_id = @nodeId AND type = 'physical' ORDER BY id",
            new { nodeId },
            tx,
            cancellationToken: ct))).ToList();
        if (disks.Count == 0)
            return;
        var scripts = await ScriptCatalog.ByIdsAsync(c, tx, results.Select(r => r.ScriptId!.Value).Distinct().ToArray(), ct);
        foreach (var result in results)
        {
            var parameters = (JsonObject)JsonNode.Parse(result.Parameters)!;
            var name = StorageParameter(result.Parameters)!;
            await ScriptResultStore.DeleteAsync(c, tx, result.Id, ct);
            foreach (var disk in disks)
            {
                var perDisk = (JsonObject)parameters.DeepClone();
                perDisk[name]!["value"] = new JsonObject
                {
                    ["id"] = disk.Id,
                    ["physical_blockdevice_id"] = disk.Id,
                    ["name"] = disk.Name,
                    ["model"] = disk.Model,
                    ["serial"] = disk.Serial,
                    ["id_path"] = disk.IdPath,
                };
                var id = await ScriptResultStore.AddPendingAsync(c, tx, setId, scripts[result.ScriptId!.Value], perDisk.ToJsonString(), ct);
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE script_result SET physical_blockdevice_id = @disk WHERE id = @id", new { disk = disk.Id, id }, tx, cancellationToken: ct));
            }
        }
    }

    /// <summary>The name of the storage parameter whose value is <c>all</c>, if any.</summary>
    private static string? StorageParameter(string parametersJson)
    {
        if (JsonNode.Parse(parametersJson) is not JsonObject parameters)
            return null;
        foreach (var (name, parameter) in parameters)
        {
            if (parameter is JsonObject p && p["type"]?.ToString() == "storage" && p["value"]?.ToString() == "all")
                return name;
        }

        return null;
    }

    private sealed record Disk(long Id, string Name, string Model, string Serial, string? IdPath);
}
