using System.Diagnostics;

namespace Anvil.Region.Scripts;

/// <summary>
/// Runs a built-in script with <c>busybox sh</c> and a PATH of busybox applets only (plus the
/// named tools), as the ephemeral environment would. Disposing removes the PATH directory.
/// </summary>
internal sealed class BusyboxShell : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("anvil-bbsh-").FullName;

    public BusyboxShell(params string[] tools)
    {
        Run("busybox", ["--install", "-s", directory], new Dictionary<string, string>(), TimeSpan.FromSeconds(30)).ExitCode.ShouldBeZeroOrThrow("busybox --install");
        foreach (var tool in tools)
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
                ?? Path.Combine("/usr/sbin", tool);
            var link = Path.Combine(directory, tool);
            File.Delete(link);
            File.CreateSymbolicLink(link, found);
        }
    }

    /// <summary>The shipped (embedded) text of a built-in script, written out to run.</summary>
    public string ScriptPath(string name)
    {
        var path = Path.Combine(directory, "scripts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, BuiltinScript.LoadAll().Single(s => s.Name == name).Text);
        return path;
    }

    public ShellResult RunScript(string name, IReadOnlyList<string>? args = null, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 120)
    {
        var environment = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["PATH"] = directory };
        return Run(Path.Combine(directory, "busybox"), ["sh", ScriptPath(name), .. args ?? []], environment, TimeSpan.FromSeconds(timeoutSeconds));
    }

    public static ShellResult Run(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}.");
        }

        process.WaitForExit();
        return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

internal sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

internal static class ShellResultExtensions
{
    public static void ShouldBeZeroOrThrow(this int exitCode, string what)
    {
        if (exitCode != 0)
            throw new InvalidOperationException($"{what} exited with {exitCode}.");
    }
}
