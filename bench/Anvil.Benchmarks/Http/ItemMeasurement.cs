using System.Diagnostics;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// <c>GET machines/{system_id}/</c> for random machines from several concurrent clients for a
/// fixed time: a warm-up period, then the measured one.
/// </summary>
internal static class ItemMeasurement
{
    public static async Task<ItemResult> RunAsync(SignedHttp http, IReadOnlyList<string> systemIds, HttpBenchOptions options, CancellationToken ct)
    {
        var first = new ResponseBuffer();
        await http.GetAsync($"machines/{systemIds[0]}/", first, ct);
        ResponseChecks.Item(first.Memory, systemIds[0]);

        await LoadAsync(http, systemIds, options.Clients, options.ItemWarmup, ct);
        var started = Stopwatch.GetTimestamp();
        var samples = await LoadAsync(http, systemIds, options.Clients, options.ItemDuration, ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new ItemResult(systemIds.Count, options.Clients, elapsed, LatencySummary.Of(samples), first.Length);
    }

    private static async Task<List<TimeSpan>> LoadAsync(SignedHttp http, IReadOnlyList<string> systemIds, int clients, TimeSpan duration, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(
            async () =>
            {
                var random = new Random(client);
                var samples = new List<TimeSpan>();
                var body = new ResponseBuffer();
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var systemId = systemIds[random.Next(systemIds.Count)];
                    var elapsed = await http.GetAsync($"machines/{systemId}/", body, ct);
                    ResponseChecks.ItemPrefix(body.Memory.Span, systemId);
                    samples.Add(elapsed);
                }

                return samples;
            },
            ct)));
        return [.. perClient.SelectMany(s => s)];
    }
}
