using System.CommandLine;
using System.CommandLine.Help;
using Anvil.Cli.Api;
using Anvil.Cli.Commands;
using Anvil.Cli.Profiles;
using Spectre.Console;

namespace Anvil.Cli;

/// <summary>
/// The <c>anvil</c> command line, runnable in-process: <c>login</c>, <c>logout</c>, <c>list</c>,
/// <c>refresh</c>, and one command per saved profile generated from its describe/.
/// Exit codes: 0 success, 1 usage or connection error, 2 the server answered non-2xx.
/// </summary>
public static class CliApp
{
    private static readonly HashSet<string> BuiltInCommands = ["login", "logout", "list", "refresh", "help"];

    /// <summary>Runs the CLI with one console for both output and errors.</summary>
    /// <param name="args">The arguments after <c>anvil</c>.</param>
    /// <param name="console">Where output and errors go.</param>
    /// <param name="stdin">Read by <c>login PROFILE URL -</c>.</param>
    /// <param name="configDirectory">The directory holding <c>profiles.json</c>.</param>
    /// <param name="cancellationToken">Cancels the running command.</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(
        string[] args,
        IAnsiConsole console,
        TextReader stdin,
        string configDirectory,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliEnvironment(console, console, stdin, configDirectory), cancellationToken);

    /// <summary>Runs the CLI in the given environment.</summary>
    /// <param name="args">The arguments after <c>anvil</c>.</param>
    /// <param name="environment">Consoles, stdin, profile directory and optional HTTP client.</param>
    /// <param name="cancellationToken">Cancels the running command.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var store = new ProfileStore(environment.ConfigDirectory);
        IReadOnlyList<ServerProfile> profiles;
        try
        {
            profiles = store.Load();
        }
        catch (ProfileStoreException e)
        {
            return CommandGuard.Fail(environment, e.Message);
        }

        HttpClient? ownHttp = null;
        HttpClient Http() => environment.HttpClient ?? (ownHttp ??= new HttpClient());
        try
        {
            var root = BuildRoot(environment, store, profiles, Http);
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = environment.Out.Profile.Out.Writer, Error = environment.Error.Profile.Out.Writer },
                cancellationToken);
        }
        finally
        {
            ownHttp?.Dispose();
        }
    }

    private static Command BuildRoot(CliEnvironment environment, ProfileStore store, IReadOnlyList<ServerProfile> profiles, Func<HttpClient> http)
    {
        // A named root rather than RootCommand, whose name comes from the host process ("testhost"
        // when run in-process).
        var root = new Command("anvil", "Command-line client for Anvil and other MAAS API 2.0 servers.")
        {
            new HelpOption(),
            new VersionOption(),
            LoginCommand.Create(environment, store, http, BuiltInCommands),
            LogoutCommand.Create(environment, store),
            ListCommand.Create(environment, store),
            RefreshCommand.Create(environment, store, http),
        };
        var factory = new ProfileCommandFactory(new ApiCaller(environment, http));
        foreach (var profile in profiles.Where(p => !BuiltInCommands.Contains(p.Name)))
        {
            root.Add(factory.Create(profile));
        }

        return root;
    }
}
