using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client;

namespace Anvil.Cli.Api;

/// <summary>Sends a request for a profile, with the maas CLI's API-changed warning and --debug dump.</summary>
internal sealed class ApiCaller(CliEnvironment environment, Func<HttpClient> http)
{
    public CliEnvironment Environment => environment;

    public async Task<MaasResponse> SendAsync(ServerProfile profile, MaasRequest request, bool debug, CancellationToken cancellationToken)
    {
        using var client = new MaasClient(http(), new Uri(profile.Url), profile.ApiKey);
        var response = await client.SendAsync(request, cancellationToken);
        if (debug)
        {
            var headers = response.Headers.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
            environment.Error.WriteText(
                $"{response.RequestMethod} {response.RequestUri}\n{(int)response.StatusCode} {response.StatusCode}\n{string.Join("\n", headers)}\n");
        }

        if (response.GetHeader("X-MAAS-API-Hash") is { } hash && profile.DescriptionHash is { } storedHash && hash != storedHash)
        {
            environment.Error.WriteText($"**** The API on the server has changed since profile '{profile.Name}' was saved; run 'anvil refresh'.");
        }

        return response;
    }
}
