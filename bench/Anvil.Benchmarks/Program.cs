using Anvil.Benchmarks.BulkIp;
using Anvil.Benchmarks.Dhcp;
using Anvil.Benchmarks.Dns;
using Anvil.Benchmarks.Http;
using Anvil.Benchmarks.Leases;
using Anvil.Benchmarks.Micro;
using Anvil.Benchmarks.Tags;
using Anvil.Benchmarks.Tftp;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Anvil.Benchmarks;

/// <summary>
/// <c>http [options]</c>: the end-to-end load driver against a real anvild (see <see cref="HttpBenchOptions"/>).
/// <c>bulk-ip [options]</c>: bulk static IP reservation against a real anvild (see <see cref="BulkIpOptions"/>).
/// <c>leases [options]</c>: DHCP lease batches applied in one transaction (see <see cref="LeaseBenchOptions"/>).
/// <c>dns [options]</c>: DNS publishing to BIND vs nsupdate, and BIND under query load meanwhile (see <see cref="DnsBenchOptions"/>).
/// <c>dhcp-server [options]</c>: Anvil's DHCP server alone, for bench/dhcp/run.sh (see <see cref="DhcpServerModeOptions"/>).
/// <c>tftp-server [options]</c>: Anvil's TFTP server alone, for bench/tftp/run.sh (see <see cref="TftpServerMode"/>).
/// <c>tags [options]</c>: re-evaluating one XPath tag over every machine's lshw XML (see <see cref="TagBenchOptions"/>).
/// <c>micro [BenchmarkDotNet args]</c>: the in-memory micro-benchmarks.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "http":
                return await RunAsync("http", args[1..], HttpBenchOptions.Parse, HttpBench.RunAsync);
            case "bulk-ip":
                return await RunAsync("bulk-ip", args[1..], BulkIpOptions.Parse, BulkIpBench.RunAsync);
            case "leases":
                return await RunAsync("leases", args[1..], LeaseBenchOptions.Parse, LeaseBench.RunAsync);
            case "dns":
                return await RunAsync("dns", args[1..], DnsBenchOptions.Parse, DnsBench.RunAsync);
            case "dhcp-server":
                return await RunAsync("dhcp-server", args[1..], DhcpServerModeOptions.Parse, DhcpServerMode.RunAsync);
            case "tftp-server":
                return await RunAsync("tftp-server", args[1..], TftpServerMode.Options.Parse, TftpServerMode.RunAsync);
            case "tags":
                return await RunAsync("tags", args[1..], TagBenchOptions.Parse, TagBench.RunAsync);
            case "micro":
                var summaries = BenchmarkSwitcher.FromTypes([typeof(MachineJsonBenchmarks)])
                    .Run(args.Length > 1 ? args[1..] : ["--filter", "*"], MicroConfig());
                return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
            default:
                Console.Error.WriteLine("usage: Anvil.Benchmarks http [--machines 1000,10000] [--runs 10] [--warmup 2] [--clients 4] [--seconds 10] [--anvild PATH]");
                Console.Error.WriteLine("       Anvil.Benchmarks bulk-ip [--count 1000] [--runs 10] [--warmup 2] [--anvild PATH]");
                Console.Error.WriteLine("       Anvil.Benchmarks leases [--sizes 1,100,1000] [--runs 10] [--warmup 2] [--anvild PATH]");
                Console.Error.WriteLine("       Anvil.Benchmarks dns [--sizes 1,100,1000] [--runs 10] [--warmup 2] [--load-seconds 10] [--load-qps max,20000] [--anvild PATH]");
                Console.Error.WriteLine("       Anvil.Benchmarks dhcp-server --interface IF --subnet CIDR --server IP --range FIRST-LAST [--data DIR] [--lease 3600]");
                Console.Error.WriteLine("       Anvil.Benchmarks tftp-server --listen 127.0.0.1:6969 --root DIR");
                Console.Error.WriteLine("       Anvil.Benchmarks tags [--machines 10000] [--runs 5] [--warmup 1] [--anvild PATH]");
                Console.Error.WriteLine("       Anvil.Benchmarks micro [BenchmarkDotNet options]");
                return 2;
        }
    }

    /// <summary>
    /// Parses a mode's options and runs it; Ctrl+C unwinds the run so anvild and its data directory
    /// are cleaned up instead of being left behind.
    /// </summary>
    private static async Task<int> RunAsync<TOptions>(
        string mode, string[] args, Func<string[], TOptions> parse, Func<TOptions, CancellationToken, Task<int>> run)
    {
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"{mode}: {e.Message}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await run(options, cancel.Token);
        }
        catch (BenchmarkFailedException e)
        {
            Console.Error.WriteLine($"benchmark failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>In-process (no per-benchmark project build) and short, to keep the whole bench within minutes.</summary>
    private static ManualConfig MicroConfig() =>
        DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "anvil-bench-artifacts"));
}
