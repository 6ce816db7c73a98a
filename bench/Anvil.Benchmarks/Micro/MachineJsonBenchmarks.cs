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

    [Benchmark(Description = "MachineJson.One (one machine)")]
    public int RenderOne() => MachineJson.One(_machines[0]).Length;
}
