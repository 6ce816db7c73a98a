using System.CommandLine;
using System.Text.Json;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client;

namespace Anvil.Cli.Commands;

/// <summary><c>anvil refresh</c>: fetch describe/ again for every profile.</summary>
internal static class RefreshCommand
{
    public static Command Create(CliEnvironment environment, ProfileStore store, Func<HttpClient> http)
    {
        var command = new Command("refresh", "Fetch the API description again for every profile.");
        command.SetAction((_, cancellationToken) => CommandGuard.RunAsync(environment, async () =>
        {
            var exitCode = ExitCodes.Success;
            foreach (var profile in store.Load())
            {
                // One unreachable server must not stop the others from refreshing.
                var result = await CommandGuard.RunAsync(environment, async () =>
                {
                    using var client = new MaasClient(http(), new Uri(profile.Url));
                    var description = await client.DescribeAsync(cancellationToken);
                    using var json = JsonDocument.Parse(description.Json);
                    store.Save(profile with { Description = json.RootElement.Clone() });
                    environment.Out.WriteText($"Refreshed '{profile.Name}' ({profile.Url}).");
                    return ExitCodes.Success;
                });
                if (result != ExitCodes.Success)
                {
                    environment.Error.WriteText($"Could not refresh '{profile.Name}'.");
                    exitCode = ExitCodes.Failure;
                }
            }

            return exitCode;
        }));
        return command;
    }
}
