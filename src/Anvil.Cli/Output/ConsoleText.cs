using Spectre.Console;

namespace Anvil.Cli.Output;

/// <summary>
/// Plain text output that bypasses Spectre's markup and line wrapping, so response bodies and
/// messages reach the terminal (or a pipe) byte for byte.
/// </summary>
internal static class ConsoleText
{
    public static void WriteText(this IAnsiConsole console, string text)
    {
        var writer = console.Profile.Out.Writer;
        writer.Write(text);
        if (!text.EndsWith('\n'))
        {
            writer.WriteLine();
        }

        writer.Flush();
    }
}
