using System.Diagnostics;

namespace Anvil.Lab.Vms;

/// <summary>The result of a finished host command.</summary>
public sealed record LabCommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs host commands (ip, qemu-img, ipmitool …) for the lab, with a timeout so a hang surfaces.</summary>
public static class LabCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command and throws with its output when it exits non-zero.</summary>
    public static async Task<LabCommandResult> RunAsync(string file, params string[] arguments)
    {
        var result = await TryRunAsync(DefaultTimeout, file, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited {result.ExitCode}: {result.Error.Trim()} {result.Output.Trim()}");
        return result;
    }

    /// <summary>Runs the command and returns whatever it did; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public static Task<LabCommandResult> TryRunAsync(TimeSpan timeout, string file, params string[] arguments) =>
        RunAsync(StartInfo(file, arguments), timeout, $"'{file} {string.Join(' ', arguments)}'");

    /// <summary>
    /// Runs a process made from <see cref="StartInfo"/> (with its environment set as the caller
    /// needs) with no input; kills it and its children after <paramref name="timeout"/> and throws
    /// with what it wrote, naming it <paramref name="what"/>.
    /// </summary>
    public static async Task<LabCommandResult> RunAsync(ProcessStartInfo info, TimeSpan timeout, string what)
    {
        using var process = new Process { StartInfo = info };
        process.Start();
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{what} did not finish within {timeout}: {await output} {await error}");
        }

        return new LabCommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts a long-running process in a session of its own with its output appended to
    /// <paramref name="log"/>, detached from this process: it outlives <c>anvil-lab up</c> and
    /// is stopped by pid (see <see cref="LabProcesses"/>). Returns its pid.
    /// </summary>
    public static int StartDetached(string log, string file, IEnumerable<string> arguments)
    {
        // sh execs setsid, which (not being a group leader) execs the command: the pid stays the same.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec setsid \"$@\" </dev/null >>\"$LAB_LOG\" 2>&1", "sh", file, .. arguments])
            info.ArgumentList.Add(argument);
        info.Environment["LAB_LOG"] = log;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        return process.Id;
    }

    /// <summary>The command prefixed with <c>ip netns exec</c> when <paramref name="netns"/> is set.</summary>
    public static (string File, string[] Arguments) InNamespace(string? netns, string file, params string[] arguments) =>
        netns is null ? (file, arguments) : ("ip", ["netns", "exec", netns, file, .. arguments]);

    /// <summary>How every command here is started: arguments as given (no shell), all three streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }
}
