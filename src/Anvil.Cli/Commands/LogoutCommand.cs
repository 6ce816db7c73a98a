using System.CommandLine;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;

namespace Anvil.Cli.Commands;

internal static class LogoutCommand
{
    public static Command Create(CliEnvironment environment, ProfileStore store)
    {
        var profileName = new Argument<string>("profile") { Description = "The profile to forget" };
        var command = new Command("logout", "Forget a saved profile and its API key.") { profileName };
        command.SetAction((parse, _) => CommandGuard.RunAsync(environment, () =>
        {
            var name = parse.GetValue(profileName)!;
            if (!store.Remove(name))
            {
                return Task.FromResult(CommandGuard.Fail(environment, $"There is no profile named '{name}'."));
            }

            environment.Out.WriteText($"Profile '{name}' removed.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
