using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Client;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>
/// A machine's side of the metadata server (maas-api.md §7): signed with the node's token through
/// <see cref="MaasClient"/> (OAuth PLAINTEXT), over the machine's own HTTP connection to its rack.
/// </summary>
internal sealed class MetadataClient(HttpClient http, string metadataUrl, MaasApiKey token) : IDisposable
{
    private readonly MaasClient client = new(http, new Uri(Origin(metadataUrl) + "/MAAS"), token);
    private readonly OAuthSigner signer = new(token);

    /// <summary>e.g. <c>http://10.0.0.1:5248/MAAS/metadata/</c>, always ending in a slash.</summary>
    public string MetadataUrl { get; } = metadataUrl.EndsWith('/') ? metadataUrl : metadataUrl + "/";

    public MaasApiKey Token { get; } = token;

    private string Versioned => MetadataUrl + "2012-03-01/";

    public static string Origin(string url)
    {
        var uri = new Uri(url);
        return uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The maas-scripts tar; empty when the region has nothing to run (204).</summary>
    public async Task<byte[]> ScriptsAsync(CancellationToken ct)
    {
        var response = await client.SendAsync(new MaasRequest(HttpMethod.Get, Versioned + "maas-scripts"), ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return [];
        Ensure(response, "maas-scripts");
        return response.Body.ToArray();
    }

    public async Task SignalAsync(string status, string? error, CancellationToken ct, IEnumerable<KeyValuePair<string, string>>? fields = null, IEnumerable<MaasFile>? files = null)
    {
        var request = new MaasRequest(HttpMethod.Post, Versioned) { Op = "signal" };
        request.Parameters.Add(new("op", "signal"));
        request.Parameters.Add(new("status", status));
        if (error is not null)
            request.Parameters.Add(new("error", error));
        foreach (var field in fields ?? [])
            request.Parameters.Add(field);
        foreach (var file in files ?? [])
            request.Files.Add(file);
        Ensure(await client.SendAsync(request, ct), $"signal {status}");
    }

    /// <summary>The install config (deployment.md): the document while the machine is to be installed, null otherwise.</summary>
    public async Task<JsonDocument?> InstallConfigAsync(CancellationToken ct)
    {
        var response = await client.SendAsync(new MaasRequest(HttpMethod.Get, MetadataUrl + "latest/install-config"), ct);
        if (response.StatusCode != HttpStatusCode.OK || !response.IsJson)
            return null;
        return JsonDocument.Parse(response.Body);
    }

    public async Task NetbootOffAsync(CancellationToken ct) =>
        Ensure(await client.SendAsync(new MaasRequest(HttpMethod.Post, MetadataUrl + "latest/") { Op = "netboot_off" }, ct), "netboot_off");

    /// <summary>cloud-init of the installed OS asking for its user data: this is what marks the machine deployed. 404 means none was given.</summary>
    public async Task<int> UserDataAsync(CancellationToken ct)
    {
        var response = await client.SendAsync(new MaasRequest(HttpMethod.Get, MetadataUrl + "latest/user-data"), ct);
        if (response.StatusCode != HttpStatusCode.NotFound)
            Ensure(response, "user-data");
        return response.Body.Length;
    }

    /// <summary>A reporting event to the status webhook (maas-api.md §7.5), as curtin and cloud-init send them.</summary>
    public async Task ReportAsync(string url, string origin, string eventType, string name, string description, string? result, CancellationToken ct)
    {
        var body = new Dictionary<string, object>
        {
            ["event_type"] = eventType,
            ["origin"] = origin,
            ["name"] = name,
            ["description"] = description,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        };
        if (result is not null)
            body["result"] = result;
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.ASCII, "application/json"),
        };
        message.Headers.Authorization = signer.CreateHeader();
        using var response = await http.SendAsync(message, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"status webhook {name} {eventType}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static void Ensure(MaasResponse response, string what)
    {
        if ((int)response.StatusCode is < 200 or > 299)
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"{what}: HTTP {(int)response.StatusCode} {Truncate(response.BodyText)}"));
    }

    public void Dispose() => client.Dispose();

    internal static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
