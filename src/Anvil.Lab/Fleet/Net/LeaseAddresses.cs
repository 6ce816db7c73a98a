using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Anvil.Lab.Fleet.Net;

/// <summary>
/// Puts each leased address on the fleet's interface (as a /32, so the interface's own subnet route
/// stays the one in use) and removes them again at the end: the rack then reaches every simulated
/// machine at its own address (ARP is answered by the kernel), and each machine's HTTP comes from it.
/// </summary>
internal sealed class LeaseAddresses(string interfaceName) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPAddress, bool> added = new();
    private readonly SemaphoreSlim commands = new(4);

    public async Task EnsureAsync(IPAddress address, CancellationToken ct)
    {
        if (added.ContainsKey(address))
            return;
        var (code, error) = await IpAsync(ct, "addr", "add", $"{address}/32", "dev", interfaceName);
        // "File exists": another machine (or an earlier boot) put it there already.
        if (code != 0 && !error.Contains("exists", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"ip addr add {address}/32 dev {interfaceName} failed: {error.Trim()}");
        added.TryAdd(address, true);
    }

    private async Task<(int Code, string Error)> IpAsync(CancellationToken ct, params string[] arguments)
    {
        await commands.WaitAsync(ct);
        try
        {
            var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
                info.ArgumentList.Add(argument);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start ip.");
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, await error);
        }
        finally
        {
            commands.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var address in added.Keys)
            await IpAsync(CancellationToken.None, "addr", "del", $"{address}/32", "dev", interfaceName);
        added.Clear();
        commands.Dispose();
    }
}
