using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Anvil.Benchmarks.Http;
using Anvil.Dns.Client;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Npgsql;

namespace Anvil.Benchmarks.Dns;

/// <summary>
/// DNS publishing (issue 6, seed 000's three figures): the time until BIND answers for 1, 100 and
/// 1,000 new names, each with its address (A in <c>maas</c>, PTR in <c>40.10.in-addr.arpa</c>).
/// Three ways, same named, same run, same records:
/// <list type="bullet">
/// <item>Anvil end to end: the names committed in one transaction, published by the region (trigger,
/// NOTIFY, snapshot, plan, diff, UPDATE), until a UDP query for the last name is answered;</item>
/// <item>Anvil's UPDATE client alone (<see cref="DnsUpdateClient"/>), one call per zone;</item>
/// <item>the peer: <c>nsupdate -k</c> with the same adds (one process, one send per zone), as MAAS 3.3+ does.</item>
/// </list>
/// Then a query-load run: dnsperf at full speed for three phases (before, during back-to-back
/// 1,000-name publishes through the region, after), with queries lost and QPS per phase.
/// Prints Markdown to stdout (progress to stderr).
/// </summary>
internal static class DnsBench
{
    private const string Cidr = "10.40.0.0/16";
    private const string ReverseZone = "40.10.in-addr.arpa";
    private static int next;
    private static int loadRuns;

    public static async Task<int> RunAsync(DnsBenchOptions options, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Progress("starting anvild");
        await using var anvild = await AnvildProcess.StartAsync(options.Anvild, ct);
        await using var source = NpgsqlDataSource.Create(anvild.DatabaseConnectionString);
        var server = new IPEndPoint(IPAddress.Loopback, anvild.DnsPort);
        using var probe = new UdpQuery(server);
        var subnetId = await ScalarAsync<long>(source, $"INSERT INTO subnet (name, vlan_id, cidr) VALUES ('dns-bench', 5001, '{Cidr}') RETURNING id", ct);
        await WaitForAsync(probe, "ready.maas", true, ct, seed: (source, subnetId));
        var key = new TsigKey("anvil", TsigAlgorithm.HmacSha512, Convert.FromBase64String(
            await ScalarAsync<string>(source, "SELECT value #>> '{}' FROM config WHERE name = 'dns_tsig_secret'", ct)));
        var keyFile = Path.Combine(anvild.DataDirectory, "bench.key");
        await File.WriteAllTextAsync(keyFile, $"key \"anvil\" {{ algorithm hmac-sha512; secret \"{key.SecretBase64}\"; }};\n", ct);
        var client = new DnsUpdateClient(server, key, TimeSpan.FromSeconds(30));

        var rows = new List<(int Size, LatencySummary EndToEnd, LatencySummary Client, LatencySummary Peer)>();
        foreach (var size in options.Sizes)
        {
            Progress($"{size} name(s): {options.WarmupRuns} + {options.Runs} runs of Anvil end to end, Anvil's client, nsupdate");
            List<TimeSpan> e2e = [], direct = [], peer = [];
            for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
            {
                var warm = run < options.WarmupRuns;
                var names = Names($"e{size}x{run}", size);
                var started = Stopwatch.GetTimestamp();
                await InsertAsync(source, subnetId, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", true, ct);
                if (!warm)
                    e2e.Add(Stopwatch.GetElapsedTime(started));
                await DeleteAsync(source, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", false, ct);

                names = Names($"c{size}x{run}", size);
                started = Stopwatch.GetTimestamp();
                await client.UpdateAsync("maas", [.. names.Select(n => DnsUpdate.Add(A(n)))], ct);
                await client.UpdateAsync(ReverseZone, [.. names.Select(n => DnsUpdate.Add(Ptr(n)))], ct);
                if (!warm)
                    direct.Add(Stopwatch.GetElapsedTime(started));
                await RemoveAsync(client, names, ct);

                names = Names($"n{size}x{run}", size);
                var batch = Path.Combine(anvild.DataDirectory, "nsupdate.txt");
                await File.WriteAllTextAsync(batch, NsupdateBatch(anvild.DnsPort, names), ct);
                started = Stopwatch.GetTimestamp();
                await NsupdateAsync(keyFile, batch, ct);
                if (!warm)
                    peer.Add(Stopwatch.GetElapsedTime(started));
                if (!await probe.HasAddressAsync(names[^1].Name + ".maas", ct))
                    throw new BenchmarkFailedException("nsupdate returned but the last name does not resolve.");
                await RemoveAsync(client, names, ct);
            }

            rows.Add((size, LatencySummary.Of(e2e), LatencySummary.Of(direct), LatencySummary.Of(peer)));
        }

        var loads = new List<(string, LoadResult)>();
        foreach (var qps in options.LoadQps)
        {
            var label = qps is { } q ? $"limited to {q:N0} QPS" : "full speed";
            Progress($"query load, dnsperf {label}: 3 runs of {options.LoadSeconds} s");
            loads.Add((label, await LoadAsync(source, subnetId, probe, client, keyFile, anvild.DnsPort, options.LoadSeconds, qps, ct)));
        }

        Console.WriteLine(Report(options, rows, loads, total.Elapsed));
        return 0;
    }

    private sealed record BenchName(string Name, IPAddress Address);

    private sealed record DnsperfTotals(long Sent, long Lost, double Qps);

    private sealed record LoadResult(DnsperfTotals Before, DnsperfTotals Paced, int PacedBatches, DnsperfTotals Anvil, int AnvilBatches, DnsperfTotals Peer, int PeerBatches);

    private static TimeSpan Remaining(long started) => TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    private static List<BenchName> Names(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var n = Interlocked.Increment(ref next) % 60_000;
            return new BenchName($"{prefix}-{i}", new IPAddress([10, 40, (byte)(1 + (n / 250)), (byte)(1 + (n % 250))]));
        })];

    private static DnsRecord A(BenchName n) => DnsRecord.Create($"{n.Name}.maas", DnsType.A, 30, n.Address.ToString());

    private static DnsRecord Ptr(BenchName n)
    {
        var b = n.Address.GetAddressBytes();
        return DnsRecord.Create($"{b[3]}.{b[2]}.{ReverseZone}", DnsType.PTR, 30, $"{n.Name}.maas.");
    }

    private static async Task InsertAsync(NpgsqlDataSource source, long subnetId, IReadOnlyList<BenchName> names, CancellationToken ct)
    {
        await using var command = source.CreateCommand(
            """
            WITH ev AS (SELECT * FROM unnest(@names::text[], @ips::inet[]) AS e(name, ip)),
            a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) SELECT ip, 4, @subnet FROM ev RETURNING id, ip),
            r AS (INSERT INTO dnsresource (name, domain_id) SELECT name, 0 FROM ev RETURNING id, name)
            INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id)
            SELECT r.id, a.id FROM ev JOIN a ON a.ip = ev.ip JOIN r ON r.name = ev.name
            """);
        command.Parameters.AddWithValue("names", names.Select(n => n.Name).ToArray());
        command.Parameters.AddWithValue("ips", names.Select(n => n.Address).ToArray());
        command.Parameters.AddWithValue("subnet", subnetId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task DeleteAsync(NpgsqlDataSource source, IReadOnlyList<BenchName> names, CancellationToken ct)
    {
        await using var command = source.CreateCommand(
            "WITH r AS (DELETE FROM dnsresource WHERE name = ANY(@names)) DELETE FROM staticipaddress WHERE ip = ANY(@ips) AND alloc_type = 4");
        command.Parameters.AddWithValue("names", names.Select(n => n.Name).ToArray());
        command.Parameters.AddWithValue("ips", names.Select(n => n.Address).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task RemoveAsync(DnsUpdateClient client, IReadOnlyList<BenchName> names, CancellationToken ct)
    {
        await client.UpdateAsync("maas", [.. names.Select(n => DnsUpdate.Delete(A(n)))], ct);
        await client.UpdateAsync(ReverseZone, [.. names.Select(n => DnsUpdate.Delete(Ptr(n)))], ct);
    }

    private static string NsupdateBatch(int port, IReadOnlyList<BenchName> names)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"server 127.0.0.1 {port}\nzone maas\n");
        foreach (var n in names)
            text.Append(CultureInfo.InvariantCulture, $"update add {n.Name}.maas 30 A {n.Address}\n");
        text.Append(CultureInfo.InvariantCulture, $"send\nzone {ReverseZone}\n");
        foreach (var n in names)
            text.Append(CultureInfo.InvariantCulture, $"update add {Ptr(n).Name} 30 PTR {n.Name}.maas.\n");
        text.Append("send\n");
        return text.ToString();
    }

    private static async Task NsupdateAsync(string keyFile, string batch, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo("nsupdate", ["-v", "-k", keyFile, batch]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new BenchmarkFailedException("nsupdate did not start (apt-get install bind9-dnsutils).");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new BenchmarkFailedException($"nsupdate failed ({process.ExitCode}): {await stderr}");
    }

    /// <summary>Polls every millisecond until the name resolves (or stops resolving); the first call also seeds a name to wait for.</summary>
    private static async Task WaitForAsync(UdpQuery probe, string name, bool present, CancellationToken ct, (NpgsqlDataSource Source, long Subnet)? seed = null)
    {
        if (seed is { } s)
            await InsertAsync(s.Source, s.Subnet, [new BenchName("ready", IPAddress.Parse("10.40.0.250"))], ct);
        var clock = Stopwatch.StartNew();
        while (await probe.HasAddressAsync(name, ct) != present)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new BenchmarkFailedException($"{name} did not {(present ? "appear" : "disappear")} within 60 s.");
            await Task.Delay(1, ct);
        }
    }

    /// <summary>
    /// Three dnsperf runs of the same length, each with its own totals: nothing else happening, then
    /// Anvil publishing 1,000-name batches back to back through the database, then nsupdate sending
    /// batches of the same size.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(
        NpgsqlDataSource source, long subnetId, UdpQuery probe, DnsUpdateClient client, string keyFile, int port, int phaseSeconds, int? qps, CancellationToken ct)
    {
        var run = Interlocked.Increment(ref loadRuns);
        var existing = Names($"q{run}", 200);
        await InsertAsync(source, subnetId, existing, ct);
        await WaitForAsync(probe, existing[^1].Name + ".maas", true, ct);
        var queries = Path.Combine(Path.GetTempPath(), $"anvil-dnsperf-{Guid.NewGuid():N}.txt");
        var batch = Path.Combine(Path.GetTempPath(), $"anvil-nsupdate-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(queries, [.. existing.Select(n => $"{n.Name}.maas A"), .. Enumerable.Range(0, 50).Select(i => $"missing-{i}.maas A")], ct);
        try
        {
            var before = await DnsperfAsync(queries, port, phaseSeconds, qps, () => Task.Delay(50, ct), ct);
            var paced = 0;
            var once = await DnsperfAsync(queries, port, phaseSeconds, qps, async () =>
            {
                // One 1,000-name publish a second: added in one second, deleted in the next.
                var started = Stopwatch.GetTimestamp();
                var names = Names($"s{run}x{paced}", 1000);
                await InsertAsync(source, subnetId, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", true, ct);
                await Task.Delay(Remaining(started), ct);
                started = Stopwatch.GetTimestamp();
                await DeleteAsync(source, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", false, ct);
                await Task.Delay(Remaining(started), ct);
                paced += 2;
            }, ct);
            var anvil = 0;
            var during = await DnsperfAsync(queries, port, phaseSeconds, qps, async () =>
            {
                var names = Names($"l{run}x{anvil}", 1000);
                await InsertAsync(source, subnetId, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", true, ct);
                await DeleteAsync(source, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", false, ct);
                anvil++;
            }, ct);
            var peer = 0;
            var nsupdate = await DnsperfAsync(queries, port, phaseSeconds, qps, async () =>
            {
                var names = Names($"p{run}x{peer}", 1000);
                await File.WriteAllTextAsync(batch, NsupdateBatch(port, names), ct);
                await NsupdateAsync(keyFile, batch, ct);
                await RemoveAsync(client, names, ct);
                peer++;
            }, ct);
            return new LoadResult(before, once, paced, during, anvil, nsupdate, peer);
        }
        finally
        {
            File.Delete(queries);
            File.Delete(batch);
        }
    }

    /// <summary>One dnsperf run; <paramref name="work"/> is repeated until dnsperf ends.</summary>
    private static async Task<DnsperfTotals> DnsperfAsync(string queries, int port, int seconds, int? qps, Func<Task> work, CancellationToken ct)
    {
        List<string> args = ["-s", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", queries,
            "-l", seconds.ToString(CultureInfo.InvariantCulture), "-c", "4", "-q", "200"];
        if (qps is { } limit)
            args.AddRange(["-Q", limit.ToString(CultureInfo.InvariantCulture)]);
        using var dnsperf = Process.Start(new ProcessStartInfo("dnsperf", args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new BenchmarkFailedException("dnsperf did not start (apt-get install dnsperf).");
        var output = dnsperf.StandardOutput.ReadToEndAsync(ct);
        var exited = dnsperf.WaitForExitAsync(ct);
        await Task.Delay(500, ct); // dnsperf's own start-up
        while (!exited.IsCompleted)
            await work();
        var text = await output;
        return new DnsperfTotals(Count(text, "Queries sent:"), Count(text, "Queries lost:"), Rate(text));
    }

    private static double Rate(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Contains("Queries per second:", StringComparison.Ordinal));
        return double.TryParse(line?.Split(':')[1].Trim(), CultureInfo.InvariantCulture, out var qps) ? qps : -1;
    }

    private static long Count(string text, string label)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Contains(label, StringComparison.Ordinal));
        var value = line?[(line.IndexOf(label, StringComparison.Ordinal) + label.Length)..].Trim().Split(' ')[0];
        return long.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    private static string Report(
        DnsBenchOptions options, List<(int Size, LatencySummary EndToEnd, LatencySummary Client, LatencySummary Peer)> rows, IReadOnlyList<(string Label, LoadResult Load)> loads, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {HostInfo.Describe()}; {options.Runs} runs after {options.WarmupRuns} warm-up; {elapsed.TotalSeconds:F0} s in all.");
        text.AppendLine();
        text.AppendLine("Each name is an A record in `maas` and a PTR in `40.10.in-addr.arpa` (2 records per name). Times in ms: median / p95.");
        text.AppendLine();
        text.AppendLine("| Names | Anvil end to end (commit → BIND answers) | Anvil UPDATE client | nsupdate -k (peer) |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (size, e2e, client, peer) in rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {size:N0} | {e2e.Median:F1} / {e2e.P95:F1} | {client.Median:F1} / {client.P95:F1} | {peer.Median:F1} / {peer.P95:F1} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Query load: four dnsperf runs of {options.LoadSeconds} s each (-c 4 -q 200) over 200 published names and 50 missing ones: idle; while Anvil publishes one 1,000-name change a second through the database (added, then deleted the next second); while Anvil publishes such changes back to back; while nsupdate sends 1,000-name batches back to back (each then deleted).");
        text.AppendLine();
        text.AppendLine("| dnsperf | idle: QPS / lost | Anvil, 1 publish/s: QPS / lost / publishes | ÷ idle | Anvil back to back: QPS / lost / batches | ÷ idle | nsupdate back to back: QPS / lost / batches | ÷ idle |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (label, load) in loads)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {load.Before.Qps:N0} / {load.Before.Lost} of {load.Before.Sent:N0} | {load.Paced.Qps:N0} / {load.Paced.Lost} of {load.Paced.Sent:N0} / {load.PacedBatches} | {load.Paced.Qps / Math.Max(1, load.Before.Qps):P0} | {load.Anvil.Qps:N0} / {load.Anvil.Lost} of {load.Anvil.Sent:N0} / {load.AnvilBatches} | {load.Anvil.Qps / Math.Max(1, load.Before.Qps):P0} | {load.Peer.Qps:N0} / {load.Peer.Lost} of {load.Peer.Sent:N0} / {load.PeerBatches} | {load.Peer.Qps / Math.Max(1, load.Before.Qps):P0} |");
        }

        return text.ToString();
    }


    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[dns] {message}");
}
