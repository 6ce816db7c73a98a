using System.ComponentModel;
using System.Diagnostics;

namespace Anvil.Dns.Bind;

/// <summary>Runs one of BIND's command-line tools to completion, with its standard output and error together.</summary>
internal static class Tool
{
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ToolResult(-1, $"could not run {program}: {e.Message}");
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new ToolResult(-1, $"{program} did not finish within {timeout.TotalSeconds:0} s. {await output}{await error}".Trim());
        }

        return new ToolResult(process.ExitCode, ((await output) + (await error)).Trim());
    }
}
