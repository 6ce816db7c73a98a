using System.Net;
using System.Text;
using System.Text.Json;

namespace Anvil.Testing.Lab;

/// <summary>One status webhook event (maas-api.md §7.5) as the server received it.</summary>
public sealed record FakeWebhookEvent(JsonElement Body, string Authorization)
{
    public string EventType => Body.GetProperty("event_type").GetString() ?? "";

    public string Origin => Body.GetProperty("origin").GetString() ?? "";

    public string Name => Body.GetProperty("name").GetString() ?? "";

    public string Description => Body.GetProperty("description").GetString() ?? "";

    public string? Result => Body.TryGetProperty("result", out var result) ? result.GetString() : null;

    public override string ToString() => $"{Origin} {EventType} {Name} {Result} {Description}";
}

/// <summary>
/// The deployment side of the stand-in region (docs/architecture/deployment.md): the install
/// config, image files, the status webhook, <c>op=netboot_off</c>, and what the installed
/// system's cloud-init asks for (meta-data, user-data). Everything a node asks for must carry
/// its token; the webhook events, netboot_off calls and requests under <c>/anvil-marker/</c>
/// (for user-data scripts to call home) are recorded.
/// </summary>
public sealed partial class FakeMetadataServer
{
    private readonly List<FakeWebhookEvent> webhookEvents = [];
    private readonly List<string> netbootOffs = [];
    private readonly List<string> markers = [];
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private string? advertisedBaseUrl;

    /// <summary>The base URL the preseeds name (what the node reaches this server at); <see cref="BaseUrl"/> unless set.</summary>
    public string AdvertisedBaseUrl
    {
        get => advertisedBaseUrl ?? BaseUrl;
        set => advertisedBaseUrl = value;
    }

    /// <summary>The install config served at <c>latest/install-config</c>; 404 while null.</summary>
    public string? InstallConfig { get; set; }

    /// <summary>The user-data served to the installed system; 404 while null.</summary>
    public string? UserData { get; set; }

    /// <summary>What <c>meta-data/local-hostname</c> answers.</summary>
    public string LocalHostname { get; set; } = "node-1.maas";

    public IReadOnlyList<FakeWebhookEvent> WebhookEvents
    {
        get
        {
            lock (webhookEvents)
                return [.. webhookEvents];
        }
    }

    /// <summary>The Authorization header of every <c>op=netboot_off</c>.</summary>
    public IReadOnlyList<string> NetbootOffs
    {
        get
        {
            lock (netbootOffs)
                return [.. netbootOffs];
        }
    }

    /// <summary>The path below <c>/anvil-marker/</c> of every request there.</summary>
    public IReadOnlyList<string> Markers
    {
        get
        {
            lock (markers)
                return [.. markers];
        }
    }

    /// <summary>Serves <paramref name="filePath"/> at <paramref name="urlPath"/> (e.g. <c>/images/debian/root-tgz</c>), anonymously.</summary>
    public void ServeFile(string urlPath, string filePath)
    {
        lock (files)
            files[urlPath] = filePath;
    }

    private async Task<bool> AnswerDeploymentAsync(HttpListenerContext context, string path, string? op, bool signed, string authorization)
    {
        var request = context.Request;
        string? file;
        lock (files)
            file = files.GetValueOrDefault(path);
        if (request.HttpMethod == "GET" && file is not null)
        {
            // Large: streamed while other requests are answered.
            _ = Task.Run(() => StreamFileAsync(context.Response, file));
            return true;
        }

        if (path.StartsWith("/anvil-marker/", StringComparison.Ordinal))
        {
            lock (markers)
                markers.Add(path["/anvil-marker/".Length..]);
            await RespondAsync(context.Response, 200, "marked");
            return true;
        }

        if (path == $"/MAAS/metadata/status/{SystemId}" && request.HttpMethod == "POST")
        {
            if (!authorization.Contains("oauth_token=", StringComparison.Ordinal))
            {
                await RespondAsync(context.Response, 401, "no token");
                return true;
            }

            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
            lock (webhookEvents)
                webhookEvents.Add(new FakeWebhookEvent(body, authorization));
            context.Response.StatusCode = 204;
            context.Response.Close();
            return true;
        }

        var version = path.StartsWith("/MAAS/metadata/latest/", StringComparison.Ordinal) ? "latest"
            : path.StartsWith("/MAAS/metadata/2012-03-01/", StringComparison.Ordinal) ? "2012-03-01" : null;
        if (version is null || !signed)
            return false;
        var rest = path[$"/MAAS/metadata/{version}/".Length..];
        switch (request.HttpMethod, rest, op)
        {
            case ("GET", "install-config", _):
                if (InstallConfig is null)
                    await RespondAsync(context.Response, 404, "Not deploying.");
                else
                    await RespondAsync(context.Response, 200, InstallConfig, "application/json");
                return true;
            case ("POST", "", "netboot_off"):
                lock (netbootOffs)
                    netbootOffs.Add(authorization);
                await RespondAsync(context.Response, 200, "OK");
                return true;
            case ("POST", "", _) when version == "latest":
                var signal = await ReadMultipartAsync(request);
                lock (signals)
                    signals.Add(new FakeSignal(signal.Fields.GetValueOrDefault("status", ""), signal.Fields, signal.Files, authorization));
                await RespondAsync(context.Response, 200, "OK");
                return true;
            case ("GET", "meta-data/instance-id", _):
                await RespondAsync(context.Response, 200, SystemId);
                return true;
            case ("GET", "meta-data/local-hostname", _):
                await RespondAsync(context.Response, 200, LocalHostname);
                return true;
            case ("GET", "user-data", _):
                await RespondAsync(context.Response, UserData is null ? 404 : 200, UserData ?? "No user data.");
                return true;
            case ("GET", _, _) when rest.StartsWith("meta-data/", StringComparison.Ordinal):
                // public-keys, vendor-data: none here.
                await RespondAsync(context.Response, 404, $"No {rest}.");
                return true;
            default:
                return false;
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string body, string contentType)
    {
        response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static async Task StreamFileAsync(HttpListenerResponse response, string file)
    {
        try
        {
            await using var stream = File.OpenRead(file);
            response.StatusCode = 200;
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = stream.Length;
            await stream.CopyToAsync(response.OutputStream);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (or the server stopped): nothing to answer.
            response.Abort();
        }
    }
}
