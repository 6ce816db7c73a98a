using Dapper;
using Npgsql;

namespace Anvil.Data.Timeline;

/// <summary>
/// One event on a machine's boot timeline. Who it belongs to: <see cref="NodeId"/>, else the node
/// with <see cref="SystemId"/>, else whatever machine owns <see cref="Mac"/> when it is read.
/// </summary>
public sealed record BootEventRow(
    DateTimeOffset At, string Stage, string Kind, string Detail = "", long? Bytes = null,
    string? Mac = null, long? NodeId = null, string? SystemId = null, string Source = "");

/// <summary>A timeline entry as the API shows it.</summary>
public sealed record BootTimelineEntry(DateTimeOffset At, string Stage, string Kind, string Detail, long? Bytes, string? Mac, string Source);

/// <summary>The boot_event table (0008_boot_events.sql): batched inserts, a node's timeline, pruning.</summary>
public static class BootEventStore
{
    /// <summary>Inserts the rows in one statement; rows naming a system_id that no node has keep only their MAC.</summary>
    public static async Task<int> InsertAsync(NpgsqlConnection c, IReadOnlyList<BootEventRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return 0;
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO boot_event (at, stage, kind, detail, bytes, mac, node_id, source)
            SELECT r.at, r.stage, r.kind, r.detail, r.bytes, r.mac::macaddr,
                   coalesce(r.node_id, (SELECT id FROM node WHERE system_id = r.system_id)), r.source
            FROM unnest(@at, @stage, @kind, @detail, @bytes, @mac, @nodeId, @systemId, @source)
                 AS r(at, stage, kind, detail, bytes, mac, node_id, system_id, source)
            """,
            new
            {
                at = rows.Select(r => r.At.UtcDateTime).ToArray(),
                stage = rows.Select(r => r.Stage).ToArray(),
                kind = rows.Select(r => r.Kind).ToArray(),
                detail = rows.Select(r => r.Detail).ToArray(),
                bytes = rows.Select(r => r.Bytes).ToArray(),
                mac = rows.Select(r => r.Mac).ToArray(),
                nodeId = rows.Select(r => r.NodeId).ToArray(),
                systemId = rows.Select(r => r.SystemId).ToArray(),
                source = rows.Select(r => r.Source).ToArray(),
            },
            cancellationToken: ct));
    }

    /// <summary>
    /// The node's timeline, oldest first: its own rows, rows of its interfaces' MACs (from before
    /// it was known, and from the racks) and its status changes; the newest <paramref name="limit"/>
    /// at or after <paramref name="since"/>.
    /// </summary>
    public static Task<IReadOnlyList<BootTimelineEntry>> ForNodeAsync(NpgsqlConnection c, long nodeId, DateTimeOffset? since, int limit, CancellationToken ct) =>
        ReadAsync(c,
            """
            SELECT at, stage, kind, detail, bytes, mac, source FROM (
                SELECT b.at, b.stage, b.kind, b.detail, b.bytes, b.mac::text AS mac, b.source, b.id AS seq
                FROM boot_event b
                WHERE (b.node_id = @nodeId
                       OR b.mac IN (SELECT mac_address FROM interface WHERE node_id = @nodeId AND mac_address IS NOT NULL))
                  AND (@since::timestamptz IS NULL OR b.at >= @since)
                UNION ALL
                SELECT e.created, 'status', 'status', e.description, NULL, NULL, 'region', e.id
                FROM event e
                WHERE e.node_id = @nodeId AND e.type = 'NODE_CHANGED_STATUS'
                  AND (@since::timestamptz IS NULL OR e.created >= @since)
                ORDER BY 1 DESC, 8 DESC
                LIMIT @limit
            ) newest ORDER BY at, seq
            """,
            new { nodeId, since = since?.UtcDateTime, limit },
            ct);

    /// <summary>
    /// The rows of one MAC (<c>aa:bb:cc:dd:ee:ff</c>, any case), oldest first, the newest
    /// <paramref name="limit"/> at or after <paramref name="since"/>: the timeline of a machine
    /// that never enlisted, which has no node to ask for.
    /// </summary>
    public static Task<IReadOnlyList<BootTimelineEntry>> ForMacAsync(NpgsqlConnection c, string mac, DateTimeOffset? since, int limit, CancellationToken ct) =>
        ReadAsync(c,
            """
            SELECT at, stage, kind, detail, bytes, mac, source FROM (
                SELECT at, stage, kind, detail, bytes, mac::text AS mac, source, id FROM boot_event
                WHERE mac = @mac::macaddr AND (@since::timestamptz IS NULL OR at >= @since)
                ORDER BY at DESC, id DESC LIMIT @limit
            ) newest ORDER BY at, id
            """,
            new { mac, since = since?.UtcDateTime, limit },
            ct);

    /// <summary>Deletes rows older than <paramref name="before"/>; returns how many.</summary>
    public static Task<int> PruneAsync(NpgsqlConnection c, DateTimeOffset before, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM boot_event WHERE at < @before", new { before = before.UtcDateTime }, cancellationToken: ct));

    /// <summary>Both timelines select (at, stage, kind, detail, bytes, mac, source) in order; one mapping to entries.</summary>
    private static async Task<IReadOnlyList<BootTimelineEntry>> ReadAsync(NpgsqlConnection c, string sql, object parameters, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(DateTime At, string Stage, string Kind, string Detail, long? Bytes, string? Mac, string Source)>(
            new CommandDefinition(sql, parameters, cancellationToken: ct));
        return [.. rows.Select(r => new BootTimelineEntry(new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.Stage, r.Kind, r.Detail, r.Bytes, r.Mac, r.Source))];
    }
}
