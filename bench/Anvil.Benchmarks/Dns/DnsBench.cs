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
            var label = qps is { } q ? $"dnsperf limited to {q:N0} QPS" : "dnsperf at full speed";
            Progress($"query load, {label}: {4 * options.LoadSeconds} s; Anvil's publishes in the second quarter, nsupdate's in the third");
            loads.Add((label, await LoadAsync(source, subnetId, probe, client, keyFile, anvild.DnsPort, options.LoadSeconds, qps, ct)));
        }

        Console.WriteLine(Report(options, rows, loads, total.Elapsed));
        return 0;
    }

    private sealed record BenchName(string Name, IPAddress Address);

    private sealed record LoadResult(
        double Before, double Anvil, double AnvilMin, double Peer, double PeerMin, double After, long Sent, long Lost, int AnvilBatches, int PeerBatches, string Dnsperf);

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

    private static async Task<LoadResult> LoadAsync(
        NpgsqlDataSource source, long subnetId, UdpQuery probe, DnsUpdateClient client, string keyFile, int port, int phaseSeconds, int? qps, CancellationToken ct)
    {
        var existing = Names("q", 200);
        await InsertAsync(source, subnetId, existing, ct);
        await WaitForAsync(probe, existing[^1].Name + ".maas", true, ct);
        var queries = Path.Combine(Path.GetTempPath(), $"anvil-dnsperf-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(queries, [.. existing.Select(n => $"{n.Name}.maas A"), .. Enumerable.Range(0, 50).Select(i => $"missing-{i}.maas A")], ct);
        try
        {
            List<string> args = ["-s", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", queries,
                "-l", (4 * phaseSeconds).ToString(CultureInfo.InvariantCulture), "-c", "4", "-q", "200", "-S", "1"];
            if (qps is { } limit)
                args.AddRange(["-Q", limit.ToString(CultureInfo.InvariantCulture)]);
            var info = new ProcessStartInfo("dnsperf", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var dnsperf = Process.Start(info) ?? throw new BenchmarkFailedException("dnsperf did not start (apt-get install dnsperf).");
            var output = dnsperf.StandardOutput.ReadToEndAsync(ct);
            var started = DateTimeOffset.UtcNow;
            bool Before(int phase) => DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(phase * phaseSeconds);

            await Task.Delay(TimeSpan.FromSeconds(phaseSeconds), ct);
            var anvil = 0;
            while (Before(2))
            {
                var names = Names($"l{anvil}", 1000);
                await InsertAsync(source, subnetId, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", true, ct);
                await DeleteAsync(source, names, ct);
                await WaitForAsync(probe, names[^1].Name + ".maas", false, ct);
                anvil++;
            }

            var peer = 0;
            var batch = Path.Combine(Path.GetTempPath(), $"anvil-nsupdate-{Guid.NewGuid():N}.txt");
            while (Before(3))
            {
                var names = Names($"p{peer}", 1000);
                await File.WriteAllTextAsync(batch, NsupdateBatch(port, names), ct);
                await NsupdateAsync(keyFile, batch, ct);
                await RemoveAsync(client, names, ct);
                peer++;
            }

            File.Delete(batch);
            await dnsperf.WaitForExitAsync(ct);
            return Parse(await output, started, phaseSeconds, anvil, peer);
        }
        finally
        {
            File.Delete(queries);
        }
    }

    /// <summary>dnsperf -S 1 prints "&lt;epoch&gt;: &lt;qps&gt;" per second, then totals. The first second of each phase is left out (it straddles the change).</summary>
    private static LoadResult Parse(string text, DateTimeOffset started, int phaseSeconds, int anvilBatches, int peerBatches)
    {
        var samples = new List<(double At, double Qps)>();
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Trim().Split(": ");
            if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var epoch) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var rate))
                samples.Add((epoch - (started.ToUnixTimeMilliseconds() / 1000.0), rate));
        }

        List<double> Phase(int index) =>
            [.. samples.Where(s => s.At > (index * phaseSeconds) + 1 && s.At <= (index + 1) * phaseSeconds).Select(s => s.Qps).DefaultIfEmpty(0)];
        return new LoadResult(
            Phase(0).Average(),
            Phase(1).Average(),
            Phase(1).Min(),
            Phase(2).Average(),
            Phase(2).Min(),
            Phase(3).Average(),
            Count(text, "Queries sent:"),
            Count(text, "Queries lost:"),
            anvilBatches,
            peerBatches,
            string.Join('\n', text.Split('\n').Where(l => l.Contains("Queries", StringComparison.Ordinal) || l.Contains("Response codes", StringComparison.Ordinal)).Select(l => l.Trim())));
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
        foreach (var (label, load) in loads)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Query load, {label} (dnsperf -c 4 -q 200, {options.LoadSeconds} s per phase: before; {load.AnvilBatches} Anvil publishes of 1,000 names back to back (each added through the database, then deleted); {load.PeerBatches} nsupdate batches of the same size (added, then deleted with Anvil's client); after):");
            text.AppendLine();
            text.AppendLine("| QPS before | during Anvil publishes (mean / min) | ÷ before | during nsupdate (mean / min) | ÷ before | after | queries sent | lost |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {load.Before:N0} | {load.Anvil:N0} / {load.AnvilMin:N0} | {load.Anvil / Math.Max(1, load.Before):P0} | {load.Peer:N0} / {load.PeerMin:N0} | {load.Peer / Math.Max(1, load.Before):P0} | {load.After:N0} | {load.Sent:N0} | {load.Lost:N0} |");
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(load.Dnsperf);
            text.AppendLine("```");
            text.AppendLine();
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
