using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Anvil.Benchmarks.Http;
using Anvil.Client;
using Anvil.Domain.Tags;
using Npgsql;
using NpgsqlTypes;

namespace Anvil.Benchmarks.Tags;

/// <summary>
/// Re-evaluating one XPath tag over every machine's stored lshw XML (issue 7: MAAS users waited 20
/// minutes for 230 machines). A real anvild gets N machines with generated lshw documents
/// (<see cref="LshwGenerator"/>); each run changes the tag's definition with
/// <c>PUT tags/{name}/</c>, which evaluates it against every node before answering, and the
/// tagged set is checked. Also timed: the same evaluation in-process without the database, and the
/// libxml2 peer (<see cref="LibxmlPeer"/>) over the same documents as files. Markdown on stdout.
/// </summary>
internal static class TagBench
{
    private const string Dell = "//node[@class=\"system\"]/vendor = \"Dell Inc.\"";
    private const string Mellanox = "//node[@class=\"network\"]/vendor = \"Mellanox Technologies\"";

    public static async Task<int> RunAsync(TagBenchOptions options, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Progress($"generating {options.Machines} lshw documents");
        var documents = Enumerable.Range(0, options.Machines).AsParallel().AsOrdered().Select(LshwGenerator.Generate).ToArray();
        var expected = new Dictionary<string, int>
        {
            [Dell] = Enumerable.Range(0, options.Machines).Count(i => LshwGenerator.VendorOf(i) == "Dell Inc."),
            [Mellanox] = Enumerable.Range(0, options.Machines).Count(LshwGenerator.HasMellanox),
        };
        var sizes = documents.Select(d => Encoding.UTF8.GetByteCount(d)).Order().ToArray();

        Progress("starting anvild");
        await using var anvild = await AnvildProcess.StartAsync(options.Anvild, ct);
        await using var source = NpgsqlDataSource.Create(anvild.DatabaseConnectionString);
        Progress("seeding machines and their lshw");
        await SeedAsync(source, documents, ct);

        using var http = SignedHttp.CreateClient(1);
        var signer = new OAuthSigner(anvild.ApiKey);
        var tag = $"bench-{Guid.NewGuid():N}"[..16];
        await SendAsync(http, signer, HttpMethod.Post, new Uri(anvild.BaseUrl, "MAAS/api/2.0/tags/"), [("name", tag)], ct);

        var anvil = new List<TimeSpan>();
        var definitions = new[] { Dell, Mellanox };
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            var definition = definitions[run % 2];
            Progress($"run {run + 1}: PUT tags/{tag}/ definition={definition}");
            var took = await SendAsync(http, signer, HttpMethod.Put, new Uri(anvild.BaseUrl, $"MAAS/api/2.0/tags/{tag}/"), [("definition", definition)], ct);
            var tagged = await TaggedCountAsync(source, tag, ct);
            if (tagged != expected[definition])
                throw new BenchmarkFailedException($"{definition} tagged {tagged} machines, expected {expected[definition]}.");
            if (run >= options.WarmupRuns)
                anvil.Add(took);
        }

        Progress("in-process evaluation (no database)");
        var inProcess = new List<TimeSpan>();
        foreach (var definition in definitions)
        {
            var started = Stopwatch.GetTimestamp();
            var matches = TagDefinition.Parse(definition).CountMatches(documents);
            inProcess.Add(Stopwatch.GetElapsedTime(started));
            if (matches != expected[definition])
                throw new BenchmarkFailedException($"in-process {definition} matched {matches}, expected {expected[definition]}.");
        }

        Progress("the libxml2 peer");
        var directory = Directory.CreateTempSubdirectory("anvil-tag-bench-");
        var peer = new List<TimeSpan>();
        try
        {
            for (var i = 0; i < documents.Length; i++)
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, $"{i:00000}.xml"), documents[i], ct);
            foreach (var definition in definitions)
            {
                var (matches, took) = await LibxmlPeer.RunAsync(directory.FullName, definition, ct);
                if (matches != expected[definition])
                    throw new BenchmarkFailedException($"libxml2 {definition} matched {matches}, expected {expected[definition]}.");
                peer.Add(took);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        await using var version = source.CreateCommand("SHOW server_version");
        var postgres = (string)(await version.ExecuteScalarAsync(ct))!;
        Console.WriteLine(Report(options, sizes, expected, LatencySummary.Of(anvil), inProcess, peer, postgres, total.Elapsed));
        return 0;
    }

    private static async Task SeedAsync(NpgsqlDataSource source, string[] documents, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO node (system_id, hostname, node_type, status, domain_id, zone_id, pool_id)
            SELECT 't' || lpad(to_hex(i), 7, '0'), 'tagbench-' || i, 0, 4, 0,
                   (SELECT id FROM zone WHERE name = 'default'), (SELECT id FROM resource_pool WHERE name = 'default')
            FROM generate_series(0, @count - 1) AS i
            """,
            connection))
        {
            insert.Parameters.AddWithValue("count", documents.Length);
            await insert.ExecuteNonQueryAsync(ct);
        }

        var ids = new Dictionary<string, long>();
        await using (var select = new NpgsqlCommand("SELECT hostname, id FROM node WHERE hostname LIKE 'tagbench-%'", connection))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY node_probed_details (node_id, lshw) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < documents.Length; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(ids[$"tagbench-{i}"], NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(documents[i], NpgsqlDbType.Text, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE node; ANALYZE node_probed_details", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private static async Task<TimeSpan> SendAsync(
        HttpClient http, OAuthSigner signer, HttpMethod method, Uri uri, (string Key, string Value)[] form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri)
        {
            Content = new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Key, p.Value))),
        };
        request.Headers.Authorization = signer.CreateHeader();
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var took = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new BenchmarkFailedException($"{method} {uri} answered {(int)response.StatusCode}: {body}");
        return took;
    }

    private static async Task<long> TaggedCountAsync(NpgsqlDataSource source, string tag, CancellationToken ct)
    {
        await using var count = source.CreateCommand("SELECT count(*) FROM node_tag nt JOIN tag t ON t.id = nt.tag_id WHERE t.name = $1");
        count.Parameters.AddWithValue(tag);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static string Report(
        TagBenchOptions options, int[] sizes, Dictionary<string, int> expected, LatencySummary anvil, List<TimeSpan> inProcess, List<TimeSpan> peer,
        string postgres, TimeSpan took)
    {
        var r = new StringBuilder();
        r.AppendLine(CultureInfo.InvariantCulture, $"### Tag re-evaluation over {options.Machines:N0} machines");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {HostInfo.Describe()}, PostgreSQL {postgres}; whole run {took.TotalSeconds:F0} s.");
        r.AppendLine(CultureInfo.InvariantCulture, $"lshw documents: median {sizes[sizes.Length / 2] / 1024.0:F1} KiB (min {sizes[0] / 1024.0:F1}, max {sizes[^1] / 1024.0:F1}), {sizes.Sum(s => (long)s) / 1048576.0:F0} MiB in all.");
        r.AppendLine(CultureInfo.InvariantCulture, $"Definitions alternate between `{Dell}` ({expected[Dell]:N0} machines) and `{Mellanox}` ({expected[Mellanox]:N0}); every run's tagged set is checked.");
        r.AppendLine();
        r.AppendLine("| What | Runs | Median s | Min s | Max s | Machines/s (median) |");
        r.AppendLine("|---|---|---|---|---|---|");
        r.AppendLine(CultureInfo.InvariantCulture, $"| Anvil: `PUT tags/{{name}}/ definition=…` (read all lshw, evaluate, rewrite node_tag, commit) | {anvil.Count} | {anvil.Median / 1000:F2} | {anvil.Min / 1000:F2} | {anvil.Max / 1000:F2} | {options.Machines / (anvil.Median / 1000):N0} |");
        Row(r, "Anvil's TagDefinition in-process, documents in memory (no database)", inProcess, options.Machines);
        Row(r, "Peer: libxml2 via python3 ctypes, files on disk, 1 thread, no merge", peer, options.Machines);
        return r.ToString();
    }

    private static void Row(StringBuilder r, string what, List<TimeSpan> samples, int machines)
    {
        var s = LatencySummary.Of(samples);
        r.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {s.Count} | {s.Median / 1000:F2} | {s.Min / 1000:F2} | {s.Max / 1000:F2} | {machines / (s.Median / 1000):N0} |");
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[tags] {message}");
}
