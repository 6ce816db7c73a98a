using System.Diagnostics;
using System.Text;

namespace Anvil.Testing.Network;

/// <summary>
/// A long-running process a test started (a DHCP client, a relay, tcpdump …): its output is
/// collected as it comes, and disposing it kills it and every child it started.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private BackgroundProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Standard output and error so far, interleaved as received.</summary>
    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public static BackgroundProcess Start(string file, IEnumerable<string> arguments)
    {
        var process = new Process { StartInfo = HostCommand.StartInfo(file, arguments), EnableRaisingEvents = true };
        var started = new BackgroundProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Sends a signal (e.g. <c>USR1</c>) to the process.</summary>
    public Task SignalAsync(string signal) => HostCommand.RunAsync("kill", $"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Waits for the process to exit on its own; a timeout fails the test.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{process.StartInfo.FileName} did not exit within {timeout}. Output:\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; a timeout fails the test with the output so far.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{text}' did not appear within {timeout}. Output:\n{Output}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.Append(line).Append('\n');
    }
}
