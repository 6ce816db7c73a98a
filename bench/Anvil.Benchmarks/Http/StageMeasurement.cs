using System.Diagnostics;
using Anvil.Data;
using Anvil.Data.Machines;
using Anvil.Data.Postgres;
using Anvil.Region.Api.Machines;
using Npgsql;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// Where a listing's time goes, without HTTP: the region's own data load (<see cref="MachineStore.ListAsync(MachineQuery, CancellationToken)"/>)
/// and its renderer (<see cref="MachineJson"/>), in this process against anvild's database.
/// </summary>
internal static class StageMeasurement
{
    public const string LoadSubject = "Stage: MachineStore.ListAsync (SQL + materialise, in-process)";
    public const string RenderSubject = "Stage: MachineJson.Many (render to UTF-8, in-process)";

    public static async Task<IReadOnlyList<ListingResult>> RunAsync(NpgsqlDataSource db, int machines, HttpBenchOptions options, CancellationToken ct)
    {
        DapperConventions.Apply();
        var store = new MachineStore(new Database(db));
        var load = new List<TimeSpan>();
        var render = new List<TimeSpan>();
        long bytes = 0;
        for (var run = 0; run < options.WarmupRuns + options.Runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            var views = await store.ListAsync(MachineQuery.AllMachines, ct);
            var loaded = Stopwatch.GetTimestamp();
            bytes = MachineJson.Many(views).Length;
            var rendered = Stopwatch.GetTimestamp();
            if (views.Count != machines)
                throw new BenchmarkFailedException($"MachineStore returned {views.Count} machines, expected {machines}.");
            if (run < options.WarmupRuns)
                continue;
            load.Add(Stopwatch.GetElapsedTime(started, loaded));
            render.Add(Stopwatch.GetElapsedTime(loaded, rendered));
        }

        return
        [
            new ListingResult(LoadSubject, machines, LatencySummary.Of(load), 0),
            new ListingResult(RenderSubject, machines, LatencySummary.Of(render), bytes),
        ];
    }
}
