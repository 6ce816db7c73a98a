using System.Diagnostics;

namespace Anvil.Testing.Network;

/// <summary>The result of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs host commands (ip, sysctl, the DHCP clients …) for network tests, with a timeout so a hang fails the test.</summary>
public static class HostCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command and throws with its output when it exits non-zero.</summary>
    public static async Task<CommandResult> RunAsync(string file, params string[] arguments)
    {
        var result = await TryRunAsync(DefaultTimeout, file, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited {result.ExitCode}: {result.Error.Trim()} {result.Output.Trim()}");
        return result;
    }

    /// <summary>Runs the command and returns whatever it did; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> TryRunAsync(TimeSpan timeout, string file, params string[] arguments)
    {
        using var process = new Process { StartInfo = StartInfo(file, arguments) };
        process.Start();
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
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {timeout}: {await output} {await error}");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    internal static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments)
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
