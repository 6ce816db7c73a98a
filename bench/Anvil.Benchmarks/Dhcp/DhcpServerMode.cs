using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Leases;
using Anvil.Rack.Metrics;
using Microsoft.Extensions.Logging;

namespace Anvil.Benchmarks.Dhcp;

/// <summary>
/// <c>dhcp-server --interface IF --subnet CIDR --server IP --range FIRST-LAST [--data DIR] [--lease SECONDS]</c>:
/// runs Anvil's DHCP server alone, serving one subnet on one interface, until Ctrl+C or SIGTERM,
/// then prints its counters. bench/dhcp/run.sh drives it with perfdhcp.
/// </summary>
internal sealed record DhcpServerModeOptions(string Interface, IpNetwork Subnet, IpAddress Server, IpRange Range, string DataDirectory, int LeaseSeconds)
{
    public static DhcpServerModeOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
                throw new ArgumentException($"{args[i]} needs a value.");
            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required.");
        var range = Required("--range").Split('-');
        if (range.Length != 2)
            throw new ArgumentException("--range is FIRST-LAST.");
        return new DhcpServerModeOptions(
            Required("--interface"),
            IpNetwork.Parse(Required("--subnet")),
            IpAddress.Parse(Required("--server")),
            new IpRange(IpAddress.Parse(range[0]), IpAddress.Parse(range[1])),
            values.GetValueOrDefault("--data") ?? Path.Combine(Path.GetTempPath(), "anvil-dhcp-bench-" + Guid.NewGuid().ToString("n")),
            int.Parse(values.GetValueOrDefault("--lease") ?? "3600", System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal static class DhcpServerMode
{
    public static async Task<int> RunAsync(DhcpServerModeOptions options, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var metrics = new RackMetrics();
        var sink = new CountingLeaseSink();
        await using var server = new DhcpServer(metrics, sink, TimeProvider.System, options.DataDirectory, loggers.CreateLogger<DhcpServer>());
        server.Apply(new DhcpServerConfig(
            [new DhcpSubnetConfig(1, options.Subnet, options.Interface, options.Server, [options.Range]) { Gateway = options.Server, DnsServers = [options.Server] }],
            [])
        {
            DefaultLeaseSeconds = options.LeaseSeconds,
        });
        await server.StartAsync(ct);
        Console.Error.WriteLine($"dhcp-server ready on {options.Interface}");
        using var terminated = new CancellationTokenSource();
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            terminated.Cancel();
        });
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, terminated.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await server.StopAsync(CancellationToken.None);
        Console.Out.Write(metrics.RenderPrometheus());
        Console.Out.WriteLine($"# lease events reported: {sink.Count}");
        return server.State == DhcpServerState.Failed ? 1 : 0;
    }

    /// <summary>Counts lease events, as the rack's batching sink would queue them, without sending them anywhere.</summary>
    private sealed class CountingLeaseSink : ILeaseSink
    {
        private long count;

        public long Count => Interlocked.Read(ref count);

        public void Report(LeaseEvent lease) => Interlocked.Increment(ref count);
    }
}
