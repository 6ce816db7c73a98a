using Anvil.Data.Tags;
using Anvil.Domain.Commissioning;
using Anvil.Domain.Errors;
using Anvil.Domain.Tags;
using Dapper;
using Npgsql;

namespace Anvil.Region.Scripts;

/// <summary>The tags commissioning decides for one node: the automatic ones and those with XPath definitions.</summary>
internal static class NodeTags
{
    public const string VirtualTagName = "virtual";

    /// <summary><c>virtual</c> for machines under a hypervisor, <c>dpu</c> for machines with a BlueField.</summary>
    public static async Task SetAutomaticAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, MachineResources resources, CancellationToken ct)
    {
        await SetAsync(c, tx, nodeId, VirtualTagName, "The machine runs under a hypervisor (set by commissioning).", resources.IsVirtual, ct);
        await SetAsync(c, tx, nodeId, DpuDevices.TagName, "The machine has an NVIDIA BlueField DPU (set by commissioning).", DpuDevices.HasBlueField(resources), ct);
    }

    /// <summary>Adds or removes this node for every tag with an XPath definition, against its stored probed details.</summary>
    public static async Task EvaluateDefinitionsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct)
    {
        var details = await c.QuerySingleOrDefaultAsync<(string? Lshw, string? Lldp)>(new CommandDefinition(
            "SELECT lshw, lldp FROM node_probed_details WHERE node_id = @nodeId", new { nodeId }, tx, cancellationToken: ct));
        var tags = await c.QueryAsync<(long Id, string Definition)>(new CommandDefinition(
            "SELECT id, definition FROM tag WHERE definition <> '' ORDER BY id", transaction: tx, cancellationToken: ct));
        var matching = new List<long>();
        var notMatching = new List<long>();
        foreach (var (id, definition) in tags)
        {
            TagDefinition parsed;
            try
            {
                parsed = TagDefinition.Parse(definition);
            }
            catch (ValidationException)
            {
                // Definitions are checked when saved; one that no longer compiles matches nothing.
                notMatching.Add(id);
                continue;
            }

            (parsed.Matches(details.Lshw, details.Lldp) ? matching : notMatching).Add(id);
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO node_tag (node_id, tag_id) SELECT @nodeId, unnest(@matching) ON CONFLICT DO NOTHING",
            new { nodeId, matching = matching.ToArray() },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM node_tag WHERE node_id = @nodeId AND tag_id = ANY(@notMatching)",
            new { nodeId, notMatching = notMatching.ToArray() },
            tx,
            cancellationToken: ct));
    }

    private static async Task SetAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string name, string comment, bool on, CancellationToken ct)
    {
        var tag = await TagStore.FindAsync(c, tx, name, ct);
        if (tag is null)
        {
            if (!on)
                return;
            tag = await TagStore.InsertAsync(c, tx, new TagRecord(0, name, "", comment, ""), ct)
                ?? await TagStore.FindAsync(c, tx, name, ct);
        }

        // An admin who gave the tag an XPath definition decides it through that definition.
        if (tag is null || tag.Definition.Length > 0)
            return;
        if (on)
            await TagStore.AddNodesAsync(c, tx, tag.Id, [nodeId], ct);
        else
            await TagStore.RemoveNodesAsync(c, tx, tag.Id, [nodeId], ct);
    }
}
