namespace Anvil.Testing.Network;

/// <summary>
/// A network namespace a test created (<c>ip netns add</c>), with loopback up and a private
/// <c>/etc/netns/&lt;name&gt;/resolv.conf</c> so DHCP client scripts run inside can never touch the
/// host's. Disposing kills every process inside and deletes the namespace with its interfaces.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private readonly List<BackgroundProcess> processes = [];

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    private string EtcDirectory => Path.Combine("/etc/netns", Name);

    /// <summary>Creates <c>&lt;prefix&gt;&lt;random&gt;</c>; the name is unique per run.</summary>
    public static async Task<NetworkNamespace> CreateAsync(string prefix = "anvt")
    {
        var ns = new NetworkNamespace(prefix + TestNames.Suffix());
        Directory.CreateDirectory(ns.EtcDirectory);
        await File.WriteAllTextAsync(Path.Combine(ns.EtcDirectory, "resolv.conf"), "");
        try
        {
            await HostCommand.RunAsync("ip", "netns", "add", ns.Name);
            await HostCommand.RunAsync("ip", "-n", ns.Name, "link", "set", "lo", "up");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    /// <summary>Runs a command inside the namespace to completion; throws when it fails.</summary>
    public Task<CommandResult> RunAsync(string file, params string[] arguments) =>
        HostCommand.RunAsync("ip", ["netns", "exec", Name, file, .. arguments]);

    /// <summary>Runs a command inside the namespace and returns whatever happened.</summary>
    public Task<CommandResult> TryRunAsync(TimeSpan timeout, string file, params string[] arguments) =>
        HostCommand.TryRunAsync(timeout, "ip", ["netns", "exec", Name, file, .. arguments]);

    /// <summary>
    /// Starts a long-running command inside the namespace. <c>ip netns exec</c> execs the command,
    /// so the process id is the command's own (signals reach it). Killed on dispose at the latest.
    /// </summary>
    public BackgroundProcess Start(string file, params string[] arguments)
    {
        var process = BackgroundProcess.Start("ip", ["netns", "exec", Name, file, .. arguments]);
        lock (processes)
            processes.Add(process);
        return process;
    }

    /// <summary>The interface's MAC inside the namespace (lower case, colons).</summary>
    public async Task<string> MacOfAsync(string interfaceName)
    {
        var result = await HostCommand.RunAsync("ip", "-n", Name, "-o", "link", "show", interfaceName);
        var fields = result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(fields, "link/ether");
        return at >= 0 && at + 1 < fields.Length ? fields[at + 1] : throw new InvalidOperationException($"no MAC in: {result.Output}");
    }

    /// <summary>The IPv4 addresses (with prefix) on the interface inside the namespace.</summary>
    public async Task<IReadOnlyList<string>> AddressesOfAsync(string interfaceName)
    {
        var result = await HostCommand.RunAsync("ip", "-n", Name, "-o", "-4", "addr", "show", "dev", interfaceName);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(fields => fields[Array.IndexOf(fields, "inet") + 1])];
    }

    public async ValueTask DisposeAsync()
    {
        List<BackgroundProcess> started;
        lock (processes)
            started = [.. processes];
        foreach (var process in started)
            await process.DisposeAsync();

        // Anything else still inside (daemons that forked away) goes too.
        var pids = await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "netns", "pids", Name);
        foreach (var pid in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "kill", "-9", pid.Trim());
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "netns", "del", Name);
        try
        {
            Directory.Delete(EtcDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
