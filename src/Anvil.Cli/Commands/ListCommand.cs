using System.CommandLine;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;

namespace Anvil.Cli.Commands;

internal static class ListCommand
{
    public static Command Create(CliEnvironment environment, ProfileStore store)
    {
        var command = new Command("list", "List the saved profiles and their URLs.");
        command.SetAction((_, _) => CommandGuard.RunAsync(environment, () =>
        {
            var profiles = store.Load();
            var width = profiles.Select(p => p.Name.Length).DefaultIfEmpty(0).Max();
            foreach (var profile in profiles)
            {
                var anonymous = profile.Credentials is null ? " (anonymous)" : "";
                environment.Out.WriteText($"{profile.Name.PadRight(width)}  {profile.Url}{anonymous}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
