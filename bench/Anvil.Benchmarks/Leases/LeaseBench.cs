using System.Diagnostics;
using System.Globalization;
using System.Text;
using Anvil.Benchmarks.Http;
using Anvil.Data;
using Anvil.Data.Leases;
using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Npgsql;

namespace Anvil.Benchmarks.Leases;

/// <summary>
/// Lease batches: the time to commit 1, 100 and 1,000 DHCP commit events for MACs never seen
/// before (each becomes an unknown interface with a DISCOVERED address) through
/// <see cref="LeaseProcessor.ApplyBatchAsync(Database, IReadOnlyList{LeaseEvent}, CancellationToken)"/>,
/// in one transaction, on anvild's own database. Peer: the same rows (interfaces, addresses,
/// links) inserted by three plain <c>INSERT … SELECT unnest</c> statements in one transaction,
/// with none of the rules. Prints Markdown to stdout (progress to stderr).
/// </summary>
internal static class LeaseBench
{
    private const string Cidr = "10.30.0.0/20";
    private const string PeerSubject = "Peer: 3 plain INSERT … SELECT unnest (same rows, no rules)";
    private static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(LeaseBenchOptions options, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Progress("starting anvild");
        await using var anvild = await AnvildProcess.StartAsync(options.Anvild, ct);
        await using var source = NpgsqlDataSource.Create(anvild.DatabaseConnectionString);
        var db = new Database(source);
        var (subnetId, vlanId) = await SeedAsync(source, ct);
        var network = IpNetwork.Parse(Cidr);
        var rows = new List<(int Size, LatencySummary Anvil, LatencySummary Peer)>();
        var batch = 0;
        foreach (var size in options.Sizes)
        {
            Progress($"{size} event(s) per batch, {options.WarmupRuns} + {options.Runs} runs, then the peer");
            var anvil = new List<TimeSpan>();
            var peer = new List<TimeSpan>();
            for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
            {
                var events = Events(network, size, ++batch);
                var started = Stopwatch.GetTimestamp();
                var result = await LeaseProcessor.ApplyBatchAsync(db, events, ct);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (result.Applied != size)
                    throw new BenchmarkFailedException($"applied {result.Applied} of {size}: {string.Join("; ", result.Errors.Take(3))}");
                await CheckAsync(source, subnetId, size, ct);
                await ClearAsync(source, subnetId, ct);
                if (run >= options.WarmupRuns)
                    anvil.Add(elapsed);

                events = Events(network, size, ++batch);
                started = Stopwatch.GetTimestamp();
                await PeerInsertAsync(source, events, subnetId, vlanId, ct);
                elapsed = Stopwatch.GetElapsedTime(started);
                await CheckAsync(source, subnetId, size, ct);
                await ClearAsync(source, subnetId, ct);
                if (run >= options.WarmupRuns)
                    peer.Add(elapsed);
            }

            rows.Add((size, LatencySummary.Of(anvil), LatencySummary.Of(peer)));
        }

        await using var version = source.CreateCommand("SHOW server_version");
        var postgres = (string)(await version.ExecuteScalarAsync(ct))!;
        Console.WriteLine(Report(options, rows, postgres, total.Elapsed));
        return 0;
    }

    private static async Task<(long Subnet, long Vlan)> SeedAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            WITH s AS (INSERT INTO subnet (name, vlan_id, cidr) VALUES ('lease-bench', 5001, '{Cidr}') RETURNING id),
            r AS (INSERT INTO iprange (subnet_id, type, start_ip, end_ip) SELECT id, 'dynamic', '10.30.1.0'::inet, '10.30.14.255'::inet FROM s)
            SELECT id FROM s
            """);
        var id = (long)(await command.ExecuteScalarAsync(ct))!;
        return (id, 5001);
    }

    /// <summary>Commits for <paramref name="size"/> new MACs, each a distinct address of the dynamic range.</summary>
    private static List<LeaseEvent> Events(IpNetwork network, int size, int batch) =>
        [.. Enumerable.Range(0, size).Select(i => new LeaseEvent(
            LeaseAction.Commit,
            IpFamily.V4,
            $"02:be:{batch >> 8 & 0xff:x2}:{batch & 0xff:x2}:{i >> 8 & 0xff:x2}:{i & 0xff:x2}",
            network.First.Add((uint)(256 + i)).ToString(),
            null,
            At,
            3600))];

    private static async Task PeerInsertAsync(NpgsqlDataSource source, List<LeaseEvent> events, long subnetId, long vlanId, CancellationToken ct)
    {
        await using var c = await source.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(c, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    CREATE TEMP TABLE lease_peer ON COMMIT DROP AS
                    SELECT m, ip FROM unnest($1::text[], $2::text[]) AS x(m, ip)
                    """)
                {
                    Parameters = { new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Mac)] }, new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Ip)] } },
                },
                new NpgsqlBatchCommand(
                    """
                    WITH i AS (
                        INSERT INTO interface (node_id, name, type, mac_address, vlan_id)
                        SELECT NULL, 'eth0', 'unknown', m::macaddr, $1 FROM lease_peer RETURNING id, mac_address),
                    a AS (
                        INSERT INTO staticipaddress (ip, alloc_type, subnet_id, lease_time, created, updated)
                        SELECT ip::inet, 6, $2, 3600, $3, $3 FROM lease_peer RETURNING id, ip)
                    INSERT INTO interface_ip (interface_id, staticipaddress_id)
                    SELECT i.id, a.id FROM lease_peer p JOIN i ON i.mac_address = p.m::macaddr JOIN a ON a.ip = p.ip::inet
                    """)
                {
                    Parameters = { new NpgsqlParameter<long> { TypedValue = vlanId }, new NpgsqlParameter<long> { TypedValue = subnetId }, new NpgsqlParameter<DateTimeOffset> { TypedValue = At } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task CheckAsync(NpgsqlDataSource db, long subnetId, int count, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT count(*), count(DISTINCT a.xmin::text), count(l.interface_id)
            FROM staticipaddress a LEFT JOIN interface_ip l ON l.staticipaddress_id = a.id
            WHERE a.subnet_id = $1 AND a.alloc_type = 6
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(0) != count || reader.GetInt64(1) != 1 || reader.GetInt64(2) != count)
            throw new BenchmarkFailedException($"expected {count} linked rows from one transaction, found {reader.GetInt64(0)} rows ({reader.GetInt64(2)} linked) from {reader.GetInt64(1)}.");
    }

    private static async Task ClearAsync(NpgsqlDataSource db, long subnetId, CancellationToken ct)
    {
        await using var interfaces = db.CreateCommand("DELETE FROM interface WHERE node_id IS NULL AND type = 'unknown'");
        await interfaces.ExecuteNonQueryAsync(ct);
        await using var addresses = db.CreateCommand("DELETE FROM staticipaddress WHERE subnet_id = $1 AND alloc_type = 6");
        addresses.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
        await addresses.ExecuteNonQueryAsync(ct);
    }

    private static string Report(LeaseBenchOptions options, List<(int Size, LatencySummary Anvil, LatencySummary Peer)> rows, string postgres, TimeSpan took)
    {
        var r = new StringBuilder();
        r.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {HostInfo.Describe()}, PostgreSQL {postgres}; whole run {took.TotalSeconds:F0} s.");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"Commit events for new MACs, {options.WarmupRuns} warm-up + {options.Runs} measured runs per size, time to commit the batch in ms.");
        r.AppendLine();
        r.AppendLine("| Subject | events | min | median | p95 | max |");
        r.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (size, anvil, peer) in rows)
        {
            r.AppendLine(CultureInfo.InvariantCulture, $"| Anvil: LeaseProcessor.ApplyBatchAsync (one transaction) | {size:N0} | {anvil.Min:F1} | {anvil.Median:F1} | {anvil.P95:F1} | {anvil.Max:F1} |");
            r.AppendLine(CultureInfo.InvariantCulture, $"| {PeerSubject} | {size:N0} | {peer.Min:F1} | {peer.Median:F1} | {peer.P95:F1} | {peer.Max:F1} |");
        }

        return r.ToString();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
