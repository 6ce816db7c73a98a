using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Anvil.Client;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// The real anvild as a child process: its own data directory under /tmp (so its private
/// PostgreSQL cluster is fresh), a free loopback port, stopped with SIGTERM like systemd does.
/// </summary>
internal sealed class AnvildProcess : IAsyncDisposable
{
    private const string KeyMarker = "Admin API key:";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource<string> _key = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AnvildProcess(Process process, string dataDirectory, Uri baseUrl)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    public string DataDirectory { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public MaasApiKey ApiKey { get; private set; } = null!;

    /// <summary>Where the region's embedded named answers (127.0.0.1, udp and tcp).</summary>
    public int DnsPort { get; private init; }

    /// <summary>The managed cluster's superuser, over its Unix socket; for seeding and the peer queries.</summary>
    public string DatabaseConnectionString => $"Host={Path.Combine(DataDirectory, "run")};Username=postgres;Database=anvil";

    public static async Task<AnvildProcess> StartAsync(string? executable, CancellationToken ct)
    {
        var anvild = executable ?? LocateBuiltAnvild();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "anvil-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        var baseUrl = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");

        var start = new ProcessStartInfo
        {
            FileName = anvild.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : anvild,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        if (anvild.EndsWith(".dll", StringComparison.Ordinal))
            start.ArgumentList.Add(anvild);
        var dnsPort = FreeLoopbackPort();
        var controlPort = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var arg in (string[])["run", "--role", "region", "--data-dir", dataDirectory, "--listen", baseUrl.ToString().TrimEnd('/'),
                     "--dns-listen", $"127.0.0.1:{dnsPort}", "--dns-control-port", controlPort])
            start.ArgumentList.Add(arg);

        var process = new Process { StartInfo = start };
        var anvil = new AnvildProcess(process, dataDirectory, baseUrl) { DnsPort = dnsPort };
        process.OutputDataReceived += (_, e) => anvil.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => anvil.OnOutput(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => anvil._key.TrySetException(new BenchmarkFailedException($"anvild exited with {process.ExitCode} before it was ready:\n{anvil.Tail()}"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var key = await anvil._key.Task.WaitAsync(StartTimeout, ct);
            anvil.ApiKey = MaasApiKey.Parse(key);
            return anvil;
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then wait for anvild to stop its cluster; the data directory goes last.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited())
            {
                using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
                    await kill.WaitForExitAsync();
                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"anvild did not stop within {StopTimeout.TotalSeconds} s of SIGTERM; killing it.");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private bool HasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // never started
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
            return;
        _tail.Enqueue(line);
        while (_tail.Count > 40)
            _tail.TryDequeue(out _);
        var at = line.IndexOf(KeyMarker, StringComparison.Ordinal);
        if (at >= 0)
            _key.TrySetResult(line[(at + KeyMarker.Length)..].Trim());
    }

    private string Tail() => string.Join('\n', _tail);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Anvil.Server's output in this build's configuration (the project reference builds it).</summary>
    private static string LocateBuiltAnvild()
    {
        var configuration = typeof(AnvildProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Anvil.slnx")))
                continue;
            var output = Path.Combine(dir.FullName, "src", "Anvil.Server", "bin", configuration, "net10.0");
            foreach (var candidate in (string[])["anvild", "anvild.dll"])
            {
                if (File.Exists(Path.Combine(output, candidate)))
                    return Path.Combine(output, candidate);
            }

            throw new BenchmarkFailedException($"anvild is not built in {output}: run dotnet build src/Anvil.Server -c {configuration}, or pass --anvild PATH.");
        }

        throw new BenchmarkFailedException("cannot find the repository (Anvil.slnx) above the benchmark's output; pass --anvild PATH.");
    }
}
