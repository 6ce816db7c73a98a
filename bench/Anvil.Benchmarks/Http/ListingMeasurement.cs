namespace Anvil.Benchmarks.Http;

/// <summary><c>GET machines/</c> repeated: warm-up runs first, then the measured runs.</summary>
internal static class ListingMeasurement
{
    public const string Subject = "Anvil: GET machines/ (HTTP, OAuth, full JSON)";

    public static async Task<ListingResult> RunAsync(SignedHttp http, IReadOnlyList<string> systemIds, HttpBenchOptions options, CancellationToken ct)
    {
        byte[]? checkedBody = null;
        var body = new ResponseBuffer();
        var samples = new List<TimeSpan>();
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            var elapsed = await http.GetAsync("machines/", body, ct);
            if (checkedBody is null)
            {
                ResponseChecks.Listing(body.Memory, [.. systemIds]);
                checkedBody = body.Memory.ToArray();
            }
            else if (!body.Memory.Span.SequenceEqual(checkedBody))
            {
                // Nothing changes between runs, so neither may the answer: a byte compare stands in for a full check.
                throw new BenchmarkFailedException("the listing changed between runs although no machine did.");
            }

            if (run >= options.WarmupRuns)
                samples.Add(elapsed);
        }

        return new ListingResult(Subject, systemIds.Count, LatencySummary.Of(samples), checkedBody!.Length);
    }
}
