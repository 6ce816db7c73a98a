using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Benchmarks.Http;
using Anvil.Client;
using Anvil.Domain.Ipam;
using Npgsql;

namespace Anvil.Benchmarks.BulkIp;

/// <summary>
/// Bulk static IP allocation end to end: <c>POST ipaddresses/?op=reserve subnet=&lt;id&gt; count=N</c>
/// against a real anvild, N addresses in one call and one transaction, against the peer: the
/// same N rows inserted by one plain <c>INSERT … SELECT generate_series</c>. Prints Markdown to
/// stdout (progress to stderr).
/// </summary>
internal static class BulkIpBench
{
    private const string Cidr = "10.20.0.0/20";
    private const string PeerSubject = "Peer: one INSERT … SELECT generate_series (no free-space computation)";

    public static async Task<int> RunAsync(BulkIpOptions options, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Progress("starting anvild");
        await using var anvild = await AnvildProcess.StartAsync(options.Anvild, ct);
        await using var db = NpgsqlDataSource.Create(anvild.DatabaseConnectionString);
        var subnetId = await SeedAsync(db, ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var signer = new OAuthSigner(anvild.ApiKey);
        var url = new Uri(anvild.BaseUrl, "MAAS/api/2.0/ipaddresses/?op=reserve");

        Progress($"reserving {options.Count} addresses per call, {options.WarmupRuns} + {options.Runs} runs");
        var anvil = new List<TimeSpan>();
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent([new("subnet", subnetId.ToString(CultureInfo.InvariantCulture)), new("count", options.Count.ToString(CultureInfo.InvariantCulture))]),
            };
            request.Headers.Authorization = signer.CreateHeader();
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new BenchmarkFailedException($"reserve answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
            CheckResponse(body, options.Count);
            await CheckOneTransactionAsync(db, subnetId, options.Count, ct);
            await ClearAsync(db, subnetId, ct);
            if (run >= options.WarmupRuns)
                anvil.Add(elapsed);
        }

        Progress("peer: plain INSERT … SELECT generate_series");
        var peer = new List<TimeSpan>();
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            await using var command = db.CreateCommand(
                """
                INSERT INTO staticipaddress (ip, alloc_type, subnet_id, user_id)
                SELECT '10.20.12.0'::inet + g, 4, $1, 1 FROM generate_series(0, $2 - 1) g
                """);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Count });
            var started = Stopwatch.GetTimestamp();
            var inserted = await command.ExecuteNonQueryAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (inserted != options.Count)
                throw new BenchmarkFailedException($"the peer inserted {inserted} rows.");
            await ClearAsync(db, subnetId, ct);
            if (run >= options.WarmupRuns)
                peer.Add(elapsed);
        }

        await using var version = db.CreateCommand("SHOW server_version");
        var postgres = (string)(await version.ExecuteScalarAsync(ct))!;
        Console.WriteLine(Report(options, LatencySummary.Of(anvil), LatencySummary.Of(peer), postgres, total.Elapsed));
        return 0;
    }

    /// <summary>
    /// A /20 on fabric-0's untagged VLAN with a gateway, two DNS servers, a dynamic and a reserved
    /// range, and 300 machine addresses scattered over its first half, so the free space is
    /// fragmented as on a subnet in use.
    /// </summary>
    private static async Task<long> SeedAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $$"""
            WITH s AS (
                INSERT INTO subnet (name, vlan_id, cidr, gateway_ip, dns_servers)
                VALUES ('bench', 5001, '{{Cidr}}', '10.20.0.1', '{10.20.0.2,10.20.0.3}') RETURNING id),
            r AS (
                INSERT INTO iprange (subnet_id, type, start_ip, end_ip)
                SELECT id, 'dynamic', '10.20.1.0'::inet, '10.20.1.255'::inet FROM s
                UNION ALL SELECT id, 'reserved', '10.20.2.0'::inet, '10.20.2.63'::inet FROM s),
            u AS (
                INSERT INTO staticipaddress (ip, alloc_type, subnet_id)
                SELECT '10.20.3.0'::inet + (g * 7), 1, s.id FROM s, generate_series(0, 299) g)
            SELECT id FROM s
            """);
        var id = (long)(await command.ExecuteScalarAsync(ct))!;
        await using var analyze = db.CreateCommand("ANALYZE");
        await analyze.ExecuteNonQueryAsync(ct);
        return id;
    }

    private static void CheckResponse(string body, int count)
    {
        var subnet = IpNetwork.Parse(Cidr);
        var dynamic = new IpRange(IpAddress.Parse("10.20.1.0"), IpAddress.Parse("10.20.1.255"));
        var reserved = new IpRange(IpAddress.Parse("10.20.2.0"), IpAddress.Parse("10.20.2.63"));
        using var json = JsonDocument.Parse(body);
        var ips = json.RootElement.EnumerateArray().Select(a => IpAddress.Parse(a.GetProperty("ip").GetString()!)).ToList();
        if (ips.Count != count || ips.Distinct().Count() != count)
            throw new BenchmarkFailedException($"expected {count} distinct addresses, got {ips.Distinct().Count()} of {ips.Count}.");
        var gatewayAndDns = new IpRange(IpAddress.Parse("10.20.0.1"), IpAddress.Parse("10.20.0.3"));
        foreach (var ip in ips.Where(ip => !subnet.HostRange.Contains(ip) || dynamic.Contains(ip) || reserved.Contains(ip) || gatewayAndDns.Contains(ip)))
            throw new BenchmarkFailedException($"{ip} should not have been handed out.");
    }

    private static async Task CheckOneTransactionAsync(NpgsqlDataSource db, long subnetId, int count, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT count(*), count(DISTINCT xmin::text) FROM staticipaddress WHERE subnet_id = $1 AND alloc_type = 4");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(0) != count || reader.GetInt64(1) != 1)
            throw new BenchmarkFailedException($"expected {count} rows from one transaction, found {reader.GetInt64(0)} rows from {reader.GetInt64(1)}.");
    }

    private static async Task ClearAsync(NpgsqlDataSource db, long subnetId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("DELETE FROM staticipaddress WHERE subnet_id = $1 AND alloc_type = 4");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Report(BulkIpOptions options, LatencySummary anvil, LatencySummary peer, string postgres, TimeSpan took)
    {
        var r = new StringBuilder();
        r.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {HostInfo.Describe()}, PostgreSQL {postgres}; whole run {took.TotalSeconds:F0} s.");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"{options.Count:N0} addresses per call, {options.WarmupRuns} warm-up + {options.Runs} measured runs each, latency in ms.");
        r.AppendLine();
        r.AppendLine("| Subject | min | median | p95 | max |");
        r.AppendLine("|---|---:|---:|---:|---:|");
        r.AppendLine(CultureInfo.InvariantCulture, $"| Anvil: POST ipaddresses/ op=reserve count={options.Count} (HTTP, one transaction) | {anvil.Min:F1} | {anvil.Median:F1} | {anvil.P95:F1} | {anvil.Max:F1} |");
        r.AppendLine(CultureInfo.InvariantCulture, $"| {PeerSubject} | {peer.Min:F1} | {peer.Median:F1} | {peer.P95:F1} | {peer.Max:F1} |");
        return r.ToString();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
