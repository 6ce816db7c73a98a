using Spectre.Console;

namespace Anvil.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns without a terminal, which would wrap the machines table in a pipe.
            output.Profile.Width = 512;
        }

        var environment = new CliEnvironment(output, error, Console.In, CliEnvironment.DefaultConfigDirectory());
        // System.CommandLine turns Ctrl+C into cancellation of the running command's token.
        return await CliApp.RunAsync(args, environment);
    }
}
