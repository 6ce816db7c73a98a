using Dapper;
using Npgsql;

namespace Anvil.Data.Timeline;

/// <summary>How much of the boot timeline is kept (docs/architecture/timeline.md, Retention).</summary>
/// <param name="MaxAge">Rows older than this go.</param>
/// <param name="KeepPerKey">
/// Each MAC keeps its newest this many rows, and each node as many of its rows without a MAC: a
/// machine stuck in a PXE loop for days does not fill the table, and its timeline still shows the loop.
/// </param>
/// <param name="KeepTotal">
/// The table keeps at most this many rows, the newest written: a storm of DHCP requests from
/// thousands of unknown (or spoofed) MACs, which no per-MAC cap stops.
/// </param>
public sealed record BootEventLimits(TimeSpan MaxAge, int KeepPerKey, long KeepTotal)
{
    public static readonly BootEventLimits Default = new(TimeSpan.FromDays(7), 2_000, 2_000_000);
}

/// <summary>What a retention pass did, and where the next one starts.</summary>
/// <param name="Deleted">Rows deleted.</param>
/// <param name="LastId">The highest row id the pass saw; the next pass caps only the MACs and nodes written after it.</param>
public sealed record BootEventPrune(int Deleted, long LastId);

/// <summary>
/// Keeps <c>boot_event</c> bounded by age, per key and in total (<see cref="BootEventLimits"/>).
/// Each limit costs what it deletes plus what was written since the last pass, never a scan of
/// the table: age by the <c>at</c> index, per-key caps only for keys with rows after the last
/// pass's id (each through its (key, at) index), the total by id, which grows with every insert.
/// </summary>
public static class BootEventRetention
{
    public static async Task<BootEventPrune> PruneAsync(NpgsqlConnection c, DateTimeOffset now, BootEventLimits limits, long afterId, CancellationToken ct)
    {
        // Rows committed late with an id below this are not capped by this pass; their key is,
        // the next time it is written.
        var lastId = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT max(id) FROM boot_event", cancellationToken: ct)) ?? afterId;
        var deleted = await BootEventStore.PruneAsync(c, now - limits.MaxAge, ct);
        var window = new { after = afterId, last = lastId, keep = limits.KeepPerKey };
        deleted += await c.ExecuteAsync(new CommandDefinition(
            """
            WITH cut AS (
                SELECT k.mac, gone.at, gone.id
                FROM (SELECT DISTINCT mac FROM boot_event WHERE id > @after AND id <= @last AND mac IS NOT NULL) k
                CROSS JOIN LATERAL (SELECT b.at, b.id FROM boot_event b WHERE b.mac = k.mac
                                    ORDER BY b.at DESC, b.id DESC OFFSET @keep LIMIT 1) gone)
            DELETE FROM boot_event b USING cut WHERE b.mac = cut.mac AND (b.at, b.id) <= (cut.at, cut.id)
            """,
            window,
            cancellationToken: ct));
        deleted += await c.ExecuteAsync(new CommandDefinition(
            """
            WITH cut AS (
                SELECT k.node_id, gone.at, gone.id
                FROM (SELECT DISTINCT node_id FROM boot_event WHERE id > @after AND id <= @last AND mac IS NULL AND node_id IS NOT NULL) k
                CROSS JOIN LATERAL (SELECT b.at, b.id FROM boot_event b WHERE b.node_id = k.node_id AND b.mac IS NULL
                                    ORDER BY b.at DESC, b.id DESC OFFSET @keep LIMIT 1) gone)
            DELETE FROM boot_event b USING cut
            WHERE b.node_id = cut.node_id AND b.mac IS NULL AND (b.at, b.id) <= (cut.at, cut.id)
            """,
            window,
            cancellationToken: ct));
        // Ids are unique and never reused, so at most KeepTotal rows have an id above this.
        deleted += await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM boot_event WHERE id <= @below", new { below = lastId - limits.KeepTotal }, cancellationToken: ct));
        return new BootEventPrune(deleted, lastId);
    }
}
