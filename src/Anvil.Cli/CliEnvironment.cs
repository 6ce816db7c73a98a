using Spectre.Console;

namespace Anvil.Cli;

/// <summary>What the CLI talks to: its consoles, stdin, profile directory and HTTP client.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Stdin">Standard input (for <c>anvil login PROFILE URL -</c>).</param>
/// <param name="ConfigDirectory">The directory holding <c>profiles.json</c>.</param>
/// <param name="HttpClient">An HTTP client to use; a new one per run when null.</param>
public sealed record CliEnvironment(
    IAnsiConsole Out,
    IAnsiConsole Error,
    TextReader Stdin,
    string ConfigDirectory,
    HttpClient? HttpClient = null)
{
    /// <summary>
    /// The per-user profile directory: <c>$XDG_CONFIG_HOME/anvil</c>, or <c>~/.config/anvil</c>.
    /// </summary>
    /// <returns>The directory path (it may not exist yet).</returns>
    public static string DefaultConfigDirectory() =>
        ConfigDirectoryFor(
            Environment.GetEnvironmentVariable("XDG_CONFIG_HOME"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static string ConfigDirectoryFor(string? xdgConfigHome, string home)
    {
        // The XDG spec says relative values are invalid and must be ignored.
        var root = string.IsNullOrWhiteSpace(xdgConfigHome) || !Path.IsPathRooted(xdgConfigHome)
            ? Path.Combine(home, ".config")
            : xdgConfigHome;
        return Path.Combine(root, "anvil");
    }
}
