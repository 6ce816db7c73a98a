using System.IO.Pipelines;
using Anvil.Data.Machines;
using Anvil.Region.Api.Machines;
using BenchmarkDotNet.Attributes;

namespace Anvil.Benchmarks.Micro;

/// <summary>The region's machine renderer alone: no database, no HTTP.</summary>
[MemoryDiagnoser]
public class MachineJsonBenchmarks
{
    private IReadOnlyList<MachineView> _machines = [];

    [Params(1000)]
    public int Machines { get; set; }

    [GlobalSetup]
    public void Setup() => _machines = SampleMachines.Create(Machines);

    [Benchmark(Description = "MachineJson.Many (full listing)")]
    public int RenderListing() => MachineJson.Many(_machines).Length;

    /// <summary>What GET machines/ does: streamed into a pipe (here one that discards), never buffered whole.</summary>
    [Benchmark(Description = "MachineJson.WriteManyAsync (streamed listing)")]
    public async Task RenderListingStreamed()
    {
        var output = PipeWriter.Create(Stream.Null);
        await MachineJson.WriteManyAsync(_machines, output, CancellationToken.None);
        await output.CompleteAsync();
    }

    [Benchmark(Description = "MachineJson.One (one machine)")]
    public int RenderOne() => MachineJson.One(_machines[0]).Length;
}
