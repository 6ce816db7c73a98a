using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// The end-to-end run: start anvild, seed machines in steps, measure each listing size against
/// the peer, then GET-one throughput at the largest size; print a Markdown report to stdout
/// (progress goes to stderr).
/// </summary>
internal static class HttpBench
{
    public static async Task<int> RunAsync(HttpBenchOptions options, CancellationToken ct)
    {
        var listings = new List<ListingResult>();
        var total = Stopwatch.StartNew();
        Progress("starting anvild");
        await using var anvild = await AnvildProcess.StartAsync(options.Anvild, ct);
        await using var db = NpgsqlDataSource.Create(anvild.DatabaseConnectionString);
        var seeder = new MachineSeeder(db);
        var peer = new PeerQueries(db);
        await seeder.AddReferenceDataAsync(ct);
        using var client = SignedHttp.CreateClient(options.Clients);
        var http = new SignedHttp(client, anvild.BaseUrl, anvild.ApiKey);

        var seeded = 0;
        IReadOnlyList<string> systemIds = [];
        foreach (var count in options.MachineCounts)
        {
            Progress($"seeding machines {seeded + 1}..{count}");
            await seeder.AddMachinesAsync(seeded + 1, count, ct);
            seeded = count;
            systemIds = await seeder.SystemIdsAsync(ct);

            Progress($"listing {count} machines over HTTP");
            listings.Add(await ListingMeasurement.RunAsync(http, systemIds, options, ct));
            Progress($"peer queries for {count} machines");
            listings.Add(await peer.FlatAsync(count, options, ct));
            listings.Add(await peer.NestedAsync(count, options, ct));
        }

        Progress($"in-process stages for {seeded} machines");
        listings.AddRange(await StageMeasurement.RunAsync(db, seeded, options, ct));

        Progress($"GET one machine, {options.Clients} clients, {options.ItemDuration.TotalSeconds} s");
        var item = await ItemMeasurement.RunAsync(http, systemIds, options, ct);
        var postgres = await peer.ServerVersionAsync(ct);

        Console.WriteLine(Report(options, listings, item, postgres, total.Elapsed));
        return 0;
    }

    private static string Report(HttpBenchOptions options, IReadOnlyList<ListingResult> listings, ItemResult item, string postgres, TimeSpan took)
    {
        var r = new System.Text.StringBuilder();
        r.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {HostInfo.Describe()}, PostgreSQL {postgres}; whole run {took.TotalSeconds:F0} s.");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"Full listing: {options.WarmupRuns} warm-up + {options.Runs} measured runs each, latency in ms.");
        r.AppendLine();
        r.AppendLine("| Subject | Machines | min | median | p95 | max | Response |");
        r.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var l in listings)
            r.AppendLine(CultureInfo.InvariantCulture, $"| {l.Subject} | {l.Machines:N0} | {l.Latency.Min:F1} | {l.Latency.Median:F1} | {l.Latency.P95:F1} | {l.Latency.Max:F1} | {(l.ResponseBytes > 0 ? Size(l.ResponseBytes) : "-")} |");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"GET one machine (random among {item.Machines:N0}): {item.Clients} concurrent clients for {item.Duration.TotalSeconds:F1} s after {options.ItemWarmup.TotalSeconds:F0} s warm-up.");
        r.AppendLine();
        r.AppendLine("| Requests | Requests/s | min ms | median ms | p95 ms | max ms | Response |");
        r.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        r.AppendLine(CultureInfo.InvariantCulture, $"| {item.Latency.Count:N0} | {item.RequestsPerSecond:F0} | {item.Latency.Min:F2} | {item.Latency.Median:F2} | {item.Latency.P95:F2} | {item.Latency.Max:F2} | {Size(item.ResponseBytes)} |");
        return r.ToString();
    }

    private static string Size(long bytes) =>
        bytes >= 1 << 20 ? $"{bytes / 1024.0 / 1024.0:F1} MiB" : $"{bytes / 1024.0:F1} KiB";

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
