using System.Diagnostics;
using System.Text;
using Anvil.Testing;

namespace Anvil.Server.Support;

/// <summary>
/// The real anvild executable, started as a child process with its own data directory (and so
/// its own private PostgreSQL cluster) on a free loopback port, exactly as an operator runs it.
/// </summary>
public sealed class AnvildProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _key = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AnvildProcess(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    /// <summary>The rack's HTTP boot server's port (a free loopback port unless the test chose its listen URL).</summary>
    public int RackHttpPort { get; private init; }

    /// <summary>The rack's TFTP server, on loopback.</summary>
    public int TftpPort { get; private init; }

    /// <summary>Where the region's embedded named answers (udp and tcp on 127.0.0.1).</summary>
    public int DnsPort { get; private init; }

    public int Port { get; }

    /// <summary>e.g. <c>http://127.0.0.1:40123/MAAS</c>, as anvild prints it.</summary>
    public string Url => $"http://127.0.0.1:{Port}/MAAS";

    public string ApiUrl => $"{Url}/api/2.0/";

    public string AdminKey { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Waits until the rack inside anvild has registered with its region; returns its system_id.</summary>
    public async Task<string> WaitForRackAsync()
    {
        var file = Path.Combine(DataDir, "rack", "system_id");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!File.Exists(file) || (await File.ReadAllTextAsync(file)).Trim().Length == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The rack did not register. anvild output:\n{Output}");
            await Task.Delay(50);
        }

        return (await File.ReadAllTextAsync(file)).Trim();
    }

    /// <param name="rackInterfaces">Interfaces the rack reports and serves; none by default, so tests never touch the host's.</param>
    /// <param name="rackHttpListen">Where the rack's HTTP boot server listens, e.g. <c>http://10.1.2.1:5248</c> for a VM on a test bridge; a free loopback port by default.</param>
    /// <param name="role">anvild's role; a second region for a shared database is <c>region</c>.</param>
    /// <param name="database">A connection string to share a database between processes; its own managed cluster by default.</param>
    public static async Task<AnvildProcess> StartAsync(string rackInterfaces = "lo-none", string? rackHttpListen = null, string role = "region+rack", string? database = null)
    {
        var dataDir = Path.Combine("/tmp", $"anvil-e2e-{Guid.NewGuid():N}"[..20]);
        var port = LocalPorts.FreeTcp();
        var anvild = Path.Combine(AppContext.BaseDirectory, "anvild.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        rackHttpListen ??= $"http://127.0.0.1:{LocalPorts.FreeTcp()}";
        var rackHttpPort = new Uri(rackHttpListen).Port;
        var tftpPort = LocalPorts.FreeTcp();
        var dnsPort = LocalPorts.FreeTcp();
        string[] args =
        [
            anvild, "run", "--data-dir", dataDir, "--listen", $"http://127.0.0.1:{port}", "--maas-url", $"http://127.0.0.1:{port}/MAAS",
            "--rack-http-listen", rackHttpListen, "--rack-interfaces", rackInterfaces, "--tftp-listen", $"127.0.0.1:{tftpPort}",
            "--dns-listen", $"127.0.0.1:{dnsPort}", "--dns-control-port", LocalPorts.FreeTcp().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--role", role, .. database is null ? Array.Empty<string>() : ["--database", database],
        ];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start anvild.");
        var anvil = new AnvildProcess(process, dataDir, port) { RackHttpPort = rackHttpPort, TftpPort = tftpPort, DnsPort = dnsPort };
        process.OutputDataReceived += (_, e) => anvil.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => anvil.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => anvil._key.TrySetException(new InvalidOperationException($"anvild exited with {process.ExitCode}:\n{anvil.Output}")), TaskScheduler.Default);
        try
        {
            anvil.AdminKey = await anvil._key.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await anvil.DisposeAsync();
            throw new TimeoutException($"anvild did not print its admin key within {StartTimeout}:\n{anvil.Output}");
        }

        return anvil;
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        const string marker = "Admin API key:";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
            _key.TrySetResult(line[(at + marker.Length)..].Trim());
    }

    /// <summary>Kills anvild at once (SIGKILL), as a crash or power loss would; its named is left running.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Stops anvild the way systemd does (SIGTERM), so it stops its PostgreSQL cluster too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill!.WaitForExitAsync();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        // If anvild died without stopping its cluster, stop it here so no postgres outlives the test.
        var cluster = Path.Combine(DataDir, "postgres");
        if (File.Exists(Path.Combine(cluster, "postmaster.pid")))
        {
            var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).First(File.Exists);
            using var stop = Process.Start("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", pgCtl, "stop", "-D", cluster, "-m", "immediate"]);
            await stop!.WaitForExitAsync();
        }

        // A named whose anvild was killed outlives it; find it by its configuration path.
        var bind = Path.Combine(DataDir, "bind");
        ProcessTable.Kill(argv => argv.Any(a => a.Contains(bind, StringComparison.Ordinal)));
        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A stopping postgres may still be removing files; the directory is in /tmp.
        }
    }
}
