using System.ComponentModel;
using System.Diagnostics;

namespace Anvil.Data.Postgres;

/// <summary>
/// Runs PostgreSQL's tools. As root every command goes through <c>setpriv</c> so it runs as the
/// cluster's system user, because PostgreSQL refuses to run as root; as any other user the tools
/// run directly and the cluster belongs to that user.
/// </summary>
internal sealed class CommandRunner(string? runAsUser)
{
    public string? RunAsUser { get; } = runAsUser;

    public static CommandRunner ForCurrentProcess(string systemUser) =>
        new(Environment.IsPrivilegedProcess ? systemUser : null);

    public Task<ProcessResult> RunAsClusterUserAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsUser is null
            ? RunAsync(program, arguments, cancellationToken)
            : RunAsync(
                "setpriv",
                [$"--reuid={RunAsUser}", $"--regid={RunAsUser}", "--init-groups", "--", program, .. arguments],
                cancellationToken);

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The cluster user usually cannot enter the caller's working directory (often /root).
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Messages from the tools are parsed only by people, but keep them in one language.
        startInfo.Environment["LC_MESSAGES"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ManagedPostgresException($"Could not run '{program}': {e.Message}.", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
