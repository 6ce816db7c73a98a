using System.Diagnostics;

namespace Anvil.Server.Support;

/// <summary>
/// An interface in the root namespace with one IPv4 address, created for a test and deleted after
/// it: one end of a veth pair whose other end sits, down, in a namespace of its own (this kernel has
/// no <c>dummy</c> driver). It gives a rack an address to register; nothing is sent over it.
/// </summary>
public sealed class DummyInterface : IAsyncDisposable
{
    private static int counter;
    private readonly string peerNamespace;

    private DummyInterface(string name, string cidr, string peerNamespace)
    {
        Name = name;
        Cidr = cidr;
        this.peerNamespace = peerNamespace;
    }

    public string Name { get; }

    /// <summary>The address with its prefix, e.g. <c>10.201.7.1/24</c>.</summary>
    public string Cidr { get; }

    public string Address => Cidr.Split('/')[0];

    public static async Task<DummyInterface> CreateAsync()
    {
        var n = Interlocked.Increment(ref counter);
        var tag = $"{Environment.ProcessId % 0x10000:x}{n:x}";
        var name = $"anvd{tag}";
        var ns = $"anvd-{tag}";
        var cidr = $"10.{200 + (Environment.ProcessId % 50)}.{(n * 7) % 250}.1/24";
        await RunAsync("ip", "netns", "add", ns);
        await RunAsync("ip", "link", "add", name, "type", "veth", "peer", "name", "peer0", "netns", ns);
        await RunAsync("ip", "addr", "add", cidr, "dev", name);
        await RunAsync("ip", "link", "set", name, "up");
        return new DummyInterface(name, cidr, ns);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("ip", "link", "del", Name);
        await RunAsync("ip", "netns", "del", peerNamespace);
    }

    private static async Task RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(args[0]) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args[1..])
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', args)} failed: {error}");
    }
}
