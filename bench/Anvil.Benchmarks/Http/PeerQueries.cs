using System.Diagnostics;
using Npgsql;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// The peer: the same listing done the simplest way, by PostgreSQL itself building the JSON, read
/// over the same Unix socket anvild uses. MAAS cannot run here (it needs snaps/systemd and its own
/// services), so this is the floor any server on this database pays, measured in the same run.
/// </summary>
internal sealed class PeerQueries(NpgsqlDataSource db)
{
    public const string FlatSubject = "Peer: PostgreSQL json_agg(row_to_json(node)), node columns only";
    public const string NestedSubject = "Peer: PostgreSQL json_agg, node + zone/pool/domain + tags, NICs, disks, partitions";

    private const string Flat = "SELECT coalesce(json_agg(row_to_json(n) ORDER BY n.id), '[]')::text FROM node n WHERE n.node_type = 0";

    private const string Nested =
        """
        SELECT coalesce(json_agg(m ORDER BY m.id), '[]')::text FROM (
            SELECT n.*, d.name AS domain_name, z.name AS zone_name, p.name AS pool_name, u.username AS owner_name,
                   (SELECT coalesce(json_agg(t.name ORDER BY t.name), '[]') FROM node_tag nt JOIN tag t ON t.id = nt.tag_id WHERE nt.node_id = n.id) AS tag_names,
                   (SELECT coalesce(json_agg(i ORDER BY i.id), '[]') FROM interface i WHERE i.node_id = n.id) AS interface_set,
                   (SELECT coalesce(json_agg(b ORDER BY b.id), '[]') FROM (
                        SELECT bd.*, (SELECT coalesce(json_agg(pt ORDER BY pt.id), '[]') FROM partition pt WHERE pt.blockdevice_id = bd.id) AS partitions
                        FROM blockdevice bd WHERE bd.node_id = n.id) b) AS blockdevice_set
            FROM node n
            JOIN domain d ON d.id = n.domain_id
            JOIN zone z ON z.id = n.zone_id
            LEFT JOIN resource_pool p ON p.id = n.pool_id
            LEFT JOIN users u ON u.id = n.owner_id
            WHERE n.node_type = 0) m
        """;

    public Task<ListingResult> FlatAsync(int machines, HttpBenchOptions options, CancellationToken ct) =>
        MeasureAsync(FlatSubject, Flat, machines, options, ct);

    public Task<ListingResult> NestedAsync(int machines, HttpBenchOptions options, CancellationToken ct) =>
        MeasureAsync(NestedSubject, Nested, machines, options, ct);

    public async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SHOW server_version");
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<ListingResult> MeasureAsync(string subject, string sql, int machines, HttpBenchOptions options, CancellationToken ct)
    {
        var samples = new List<TimeSpan>();
        long bytes = 0;
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            await using var command = db.CreateCommand(sql);
            var started = Stopwatch.GetTimestamp();
            var json = (string)(await command.ExecuteScalarAsync(ct))!;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (run == 0)
            {
                ResponseChecks.ArrayOf(json, machines);
                bytes = System.Text.Encoding.UTF8.GetByteCount(json);
            }

            if (run >= options.WarmupRuns)
                samples.Add(elapsed);
        }

        return new ListingResult(subject, machines, LatencySummary.Of(samples), bytes);
    }
}
