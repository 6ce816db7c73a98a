using System.Collections.Concurrent;
using System.Threading.Channels;
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
    /// Re-evaluates an XPath tag over every node's probed details and replaces the tag's node links,
    /// in the caller's transaction. The details stream from one query while every core evaluates
    /// (the definition is compiled once; each document is parsed once), and the links are rewritten
    /// by one statement. Nodes without details are evaluated against an empty <c>&lt;list/&gt;</c>.
    /// </summary>
    public static async Task<(int Added, int Removed)> EvaluateAsync(NpgsqlConnection c, NpgsqlTransaction tx, TagRecord tag, CancellationToken ct)
    {
        var definition = TagDefinition.Parse(tag.Definition);
        var matching = new ConcurrentBag<long>();
        var details = Channel.CreateBounded<(long Id, string? Lshw, string? Lldp)>(new BoundedChannelOptions(64) { SingleWriter = true });
        var evaluating = Parallel.ForEachAsync(
            details.Reader.ReadAllAsync(ct),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            (node, _) =>
            {
                if (definition.Matches(node.Lshw, node.Lldp))
                    matching.Add(node.Id);
                return ValueTask.CompletedTask;
            });
        try
        {
            await using var command = new NpgsqlCommand(
                "SELECT n.id, d.lshw, d.lldp FROM node n LEFT JOIN node_probed_details d ON d.node_id = n.id", c, tx);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                await details.Writer.WriteAsync(row, ct);
            }
        }
        finally
        {
            details.Writer.TryComplete();
            await evaluating;
        }

        var counts = await c.QuerySingleAsync<(long Added, long Removed)>(new CommandDefinition(
            """
            WITH matching AS (SELECT DISTINCT unnest(@matching::bigint[]) AS node_id),
            removed AS (
                DELETE FROM node_tag WHERE tag_id = @tagId AND node_id NOT IN (SELECT node_id FROM matching) RETURNING 1),
            added AS (
                INSERT INTO node_tag (node_id, tag_id) SELECT node_id, @tagId FROM matching ON CONFLICT DO NOTHING RETURNING 1)
            SELECT (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM removed) AS removed
            """,
            new { tagId = tag.Id, matching = matching.ToArray() },
            tx,
            cancellationToken: ct));
        return ((int)counts.Added, (int)counts.Removed);
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
