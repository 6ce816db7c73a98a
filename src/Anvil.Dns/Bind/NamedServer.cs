using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Anvil.Dns.Bind;

/// <summary>
/// The embedded named: <c>named -f -c &lt;Directory&gt;/named.conf</c> as a child of the region.
/// It writes nothing itself; call <see cref="NamedConfigWriter.Write"/> first.
/// </summary>
public sealed class NamedServer : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Process process;
    private readonly NamedFiles files;
    private readonly OutputTail output;

    private NamedServer(Process process, NamedFiles files, OutputTail output)
    {
        this.process = process;
        this.files = files;
        this.output = output;
    }

    private bool disposed;

    public bool HasExited => disposed || process.HasExited;

    public int ProcessId { get; private set; }

    /// <summary>
    /// Starts named and waits until its control channel and every listen endpoint answer. Throws
    /// <see cref="NamedStartException"/> with the end of named's log when it exits (a port in use, a
    /// bad configuration) or does not answer within <see cref="NamedOptions.StartTimeout"/>; named is
    /// stopped then.
    /// </summary>
    public static async Task<NamedServer> StartAsync(NamedOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode != NamedMode.Embedded)
            throw new InvalidOperationException("A system named is started by its own service manager, not by Anvil.");
        var files = new NamedFiles(options.Directory);
        if (!File.Exists(files.NamedConf))
            throw new NamedStartException($"{files.NamedConf} does not exist: write the configuration before starting named.");

        File.Delete(files.StartLog);
        var logStart = File.Exists(files.Log) ? new FileInfo(files.Log).Length : 0;
        var program = options.NamedPath ?? "/usr/sbin/named";
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = files.Directory,
        };
        // -L: what named logs before it reads its logging statement (why it cannot listen, say) lands in a file.
        foreach (var argument in new[] { "-f", "-L", files.StartLog, "-c", files.NamedConf })
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["LC_ALL"] = "C";

        var output = new OutputTail();
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new NamedStartException($"Could not run {program}: {e.Message}", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new NamedServer(process, files, output) { ProcessId = process.Id };
        try
        {
            await server.WaitUntilAnsweringAsync(options, logStart, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(NamedOptions options, long logStart, CancellationToken ct)
    {
        var rndc = new Rndc(options);
        var deadline = Stopwatch.StartNew();
        var lastFailure = "";
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new NamedStartException(Explain($"named exited with status {process.ExitCode}", logStart));

            var status = await rndc.TryStatusAsync(TimeSpan.FromSeconds(5), ct);
            if (status.Succeeded)
            {
                var silent = new List<string>();
                foreach (var endpoint in options.Listen)
                {
                    if (!await NamedProbe.AnswersAsync(endpoint, ProbeTimeout, ct))
                        silent.Add(endpoint.ToString());
                }

                if (silent.Count == 0)
                    return;
                lastFailure = $"no answer on {string.Join(", ", silent)}";
            }
            else
            {
                lastFailure = $"rndc status: {status.Output}";
            }

            if (deadline.Elapsed > options.StartTimeout)
                throw new NamedStartException(Explain($"named did not answer within {options.StartTimeout.TotalSeconds:0} s ({lastFailure})", logStart));
            await Task.Delay(RetryDelay, ct);
        }
    }

    /// <summary>What went wrong, with the warnings and errors named logged during this start, or the end of its log.</summary>
    private string Explain(string what, long logStart)
    {
        var lines = ReadLines(files.StartLog, 0).Concat(ReadLines(files.Log, logStart)).Concat(output.Lines()).ToList();
        var problems = lines.Where(IsProblem).ToList();
        var shown = (problems.Count > 0 ? problems : lines).TakeLast(20);
        return $"{what}. named logged:\n{string.Join('\n', shown)}";
    }

    private static bool IsProblem(string line) =>
        line.Contains(": error:", StringComparison.Ordinal) || line.Contains(": critical:", StringComparison.Ordinal)
        || line.Contains(": warning:", StringComparison.Ordinal) || line.Contains("failed", StringComparison.Ordinal)
        || !line.Contains(": info:", StringComparison.Ordinal) && !line.Contains(": notice:", StringComparison.Ordinal) && !line.Contains(": debug", StringComparison.Ordinal);

    private static string[] ReadLines(string path, long from)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Only the end matters, and a log can be large.
            stream.Seek(Math.Max(from, stream.Length - 64 * 1024), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Stops named: SIGTERM, so it writes its journals out; a kill if it has not exited in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        try
        {
            if (!process.HasExited)
            {
                await Tool.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], StopTimeout, CancellationToken.None);
                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        disposed = true;
        process.Dispose();
    }

    /// <summary>The last lines named wrote to its standard output and error (it writes little there with -f).</summary>
    private sealed class OutputTail
    {
        private const int Capacity = 50;
        private readonly Queue<string> lines = new();

        public void Add(string? line)
        {
            if (line is null)
                return;
            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > Capacity)
                    lines.Dequeue();
            }
        }

        public IReadOnlyList<string> Lines()
        {
            lock (lines)
                return [.. lines];
        }
    }
}
