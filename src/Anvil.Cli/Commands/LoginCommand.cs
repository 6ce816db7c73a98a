using System.CommandLine;
using System.Net;
using System.Text.Json;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client;

namespace Anvil.Cli.Commands;

/// <summary><c>anvil login PROFILE URL [KEY|-]</c>: check the key, fetch describe/, save the profile.</summary>
internal static class LoginCommand
{
    public static Command Create(CliEnvironment environment, ProfileStore store, Func<HttpClient> http, IReadOnlySet<string> reservedNames)
    {
        var profileName = new Argument<string>("profile") { Description = "Name for this login; it becomes the command 'anvil PROFILE ...'" };
        var url = new Argument<string>("url") { Description = "The server URL, e.g. http://region:5240/MAAS" };
        var key = new Argument<string?>("api-key")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The API key (consumer_key:token_key:token_secret), or - to read it from stdin; omit for anonymous access",
        };
        var command = new Command("login", "Log in to a server and save it as a profile.") { profileName, url, key };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(environment, () => LoginAsync(
            environment,
            store,
            http,
            reservedNames,
            parse.GetValue(profileName)!,
            parse.GetValue(url)!,
            parse.GetValue(key),
            cancellationToken)));
        return command;
    }

    private static async Task<int> LoginAsync(
        CliEnvironment environment,
        ProfileStore store,
        Func<HttpClient> http,
        IReadOnlySet<string> reservedNames,
        string name,
        string url,
        string? keyText,
        CancellationToken cancellationToken)
    {
        if (name.Length == 0 || name.StartsWith('-') || name.Any(char.IsWhiteSpace) || reservedNames.Contains(name))
        {
            return CommandGuard.Fail(environment, $"'{name}' cannot be a profile name: it must not be empty, start with '-', contain spaces or be one of {string.Join(", ", reservedNames.Order())}.");
        }

        var apiUrl = MaasApiUrl.Normalize(url);
        if (keyText == "-")
        {
            keyText = await environment.Stdin.ReadToEndAsync(cancellationToken);
        }

        // An empty key means anonymous, as with the maas CLI.
        var key = string.IsNullOrWhiteSpace(keyText) ? null : MaasApiKey.Parse(keyText);
        using var client = new MaasClient(http(), apiUrl, key);
        var greeting = "anonymously";
        if (key is not null)
        {
            var whoami = await client.SendAsync(new MaasRequest(HttpMethod.Get, "users/") { Op = "whoami" }, cancellationToken);
            if (whoami.StatusCode == HttpStatusCode.Unauthorized)
            {
                return CommandGuard.Fail(environment, "The server rejected your API key.");
            }

            whoami.EnsureSuccess();
            greeting = "as " + (whoami.ReadJson<MaasUser>()?.Username ?? "an unknown user");
        }

        var description = await client.DescribeAsync(cancellationToken);
        using var descriptionJson = JsonDocument.Parse(description.Json);
        store.Save(new ServerProfile
        {
            Name = name,
            Url = apiUrl.ToString(),
            Credentials = key?.ToKeyString(),
            Description = descriptionJson.RootElement.Clone(),
        });
        environment.Out.WriteText($"Logged in to {apiUrl} {greeting}. Profile '{name}' saved; try 'anvil {name} --help'.");
        return ExitCodes.Success;
    }
}
