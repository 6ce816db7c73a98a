using Spectre.Console;

namespace Anvil.Cli.Support;

/// <summary>Runs the CLI in-process with captured output and a private config directory.</summary>
public sealed class CliHarness : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string ConfigDirectory { get; } = Path.Combine(Path.GetTempPath(), "anvil-cli-tests", Guid.NewGuid().ToString("N"));

    public string ProfilesPath => Path.Combine(ConfigDirectory, "profiles.json");

    public Task<CliResult> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    public async Task<CliResult> RunWithStdinAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(Console(output), Console(error), new StringReader(stdin), ConfigDirectory);
        var exitCode = await CliApp.RunAsync(args, environment).WaitAsync(Timeout);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public string WriteFile(string name, byte[] content)
    {
        var directory = Path.Combine(ConfigDirectory, "..", Path.GetFileName(ConfigDirectory) + "-files");
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, name));
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        foreach (var directory in new[] { ConfigDirectory, ConfigDirectory + "-files" })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static IAnsiConsole Console(StringWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        return console;
    }
}
