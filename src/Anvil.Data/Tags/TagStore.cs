using Anvil.Domain.Tags;
using Dapper;
using Npgsql;

namespace Anvil.Data.Tags;

/// <summary>Tags, their node links, and (re-)evaluation of XPath definitions against probed hardware details.</summary>
public sealed class TagStore(Database db)
{
    private const string Columns = "id, name, definition, comment, kernel_opts";

    public async Task<IReadOnlyList<TagRecord>> ListAsync(CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<TagRecord>(new CommandDefinition($"SELECT {Columns} FROM tag ORDER BY id", cancellationToken: ct)), ct)).AsList();

    public Task<TagRecord?> FindAsync(string name, CancellationToken ct) =>
        db.ReadAsync(c => FindAsync(c, null, name, ct), ct);

    public static Task<TagRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string name, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<TagRecord>(new CommandDefinition($"SELECT {Columns} FROM tag WHERE name = @name", new { name }, tx, cancellationToken: ct));

    public static async Task<TagRecord?> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, TagRecord tag, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<TagRecord>(new CommandDefinition(
            $"""
            INSERT INTO tag (name, definition, comment, kernel_opts) VALUES (@Name, @Definition, @Comment, @KernelOpts)
            ON CONFLICT (name) DO NOTHING RETURNING {Columns}
            """,
            tag,
            tx,
            cancellationToken: ct));

    public static Task<TagRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, TagRecord tag, CancellationToken ct) =>
        c.QuerySingleAsync<TagRecord>(new CommandDefinition(
            $"""
            UPDATE tag SET name = @Name, definition = @Definition, comment = @Comment, kernel_opts = @KernelOpts, updated = now()
            WHERE id = @Id RETURNING {Columns}
            """,
            tag,
            tx,
            cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM tag WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<int> AddNodesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long tagId, IReadOnlyList<long> nodeIds, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO node_tag (node_id, tag_id) SELECT unnest(@nodeIds), @tagId ON CONFLICT DO NOTHING",
            new { tagId, nodeIds = nodeIds.ToArray() },
            tx,
            cancellationToken: ct));

    public static async Task<int> RemoveNodesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long tagId, IReadOnlyList<long> nodeIds, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM node_tag WHERE tag_id = @tagId AND node_id = ANY(@nodeIds)",
            new { tagId, nodeIds = nodeIds.ToArray() },
            tx,
            cancellationToken: ct));

    /// <summary>
    /// Re-evaluates an XPath tag over every node's probed details, in batches, replacing the tag's
    /// node links in the same transaction. Nodes without details get an empty <c>&lt;list/&gt;</c>.
    /// </summary>
    public static async Task<(int Added, int Removed)> EvaluateAsync(NpgsqlConnection c, NpgsqlTransaction tx, TagRecord tag, CancellationToken ct)
    {
        var definition = TagDefinition.Parse(tag.Definition);
        var matching = new List<long>();
        long lastId = 0;
        while (true)
        {
            var batch = (await c.QueryAsync<(long Id, string? Lshw, string? Lldp)>(new CommandDefinition(
                """
                SELECT n.id, d.lshw, d.lldp FROM node n LEFT JOIN node_probed_details d ON d.node_id = n.id
                WHERE n.id > @lastId ORDER BY n.id LIMIT 100
                """,
                new { lastId },
                tx,
                cancellationToken: ct))).AsList();
            if (batch.Count == 0)
                break;
            foreach (var (id, lshw, lldp) in batch)
            {
                if (definition.Matches(lshw, lldp))
                    matching.Add(id);
            }

            lastId = batch[^1].Id;
        }

        var removed = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM node_tag WHERE tag_id = @tagId AND NOT (node_id = ANY(@matching))",
            new { tagId = tag.Id, matching = matching.ToArray() },
            tx,
            cancellationToken: ct));
        var added = await AddNodesAsync(c, tx, tag.Id, matching, ct);
        return (added, removed);
    }

    public static async Task<IReadOnlyList<long>> NodeIdsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<string> systemIds, CancellationToken ct) =>
        (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM node WHERE system_id = ANY(@systemIds)", new { systemIds = systemIds.ToArray() }, tx, cancellationToken: ct))).AsList();

    public static async Task<IReadOnlyList<string>> TaggedSystemIdsAsync(NpgsqlConnection c, long tagId, int? nodeType, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT n.system_id FROM node_tag nt JOIN node n ON n.id = nt.node_id
            WHERE nt.tag_id = @tagId AND (@nodeType::int IS NULL OR n.node_type = @nodeType) ORDER BY n.id
            """,
            new { tagId, nodeType },
            cancellationToken: ct))).AsList();

    /// <summary>The nodes carrying the tag, of any of <paramref name="nodeTypes"/> (all types when null), in id order.</summary>
    public static async Task<IReadOnlyList<TaggedNode>> TaggedNodesAsync(
        NpgsqlConnection c, long tagId, IReadOnlyList<int>? nodeTypes, CancellationToken ct) =>
        (await c.QueryAsync<TaggedNode>(new CommandDefinition(
            """
            SELECT n.id, n.system_id, n.hostname, n.node_type FROM node_tag nt JOIN node n ON n.id = nt.node_id
            WHERE nt.tag_id = @tagId AND (@nodeTypes::int[] IS NULL OR n.node_type = ANY(@nodeTypes)) ORDER BY n.id
            """,
            new { tagId, nodeTypes = nodeTypes?.ToArray() },
            cancellationToken: ct))).AsList();
}
