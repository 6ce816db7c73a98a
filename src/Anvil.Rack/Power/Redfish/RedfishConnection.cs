using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Redfish;

/// <summary>
/// One authenticated conversation with a BMC: a session (<c>X-Auth-Token</c>) when the service offers
/// one, HTTP basic authentication otherwise. Disposing deletes the session. Every failure comes out
/// as a <see cref="PowerException"/>; messages name the BMC and the user, never the password or token.
/// </summary>
internal sealed class RedfishConnection : IAsyncDisposable
{
    private const string ServiceRoot = "/redfish/v1/";
    private const string DefaultSessions = "/redfish/v1/SessionService/Sessions";

    private readonly HttpClient http;
    private readonly Uri baseUri;
    private readonly string user;
    private readonly RedfishDriverOptions options;
    private readonly ILogger logger;
    private Uri? sessionUri;

    private RedfishConnection(HttpClient http, Uri baseUri, string user, RedfishDriverOptions options, ILogger logger)
    {
        this.http = http;
        this.baseUri = baseUri;
        this.user = user;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The BMC as messages name it (scheme, host and port).</summary>
    public string Bmc => baseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>The service root, read while authenticating; null when the BMC hides it.</summary>
    public JsonObject? Root { get; private set; }

    public bool UsesSession => sessionUri is not null;

    public static async Task<RedfishConnection> OpenAsync(PowerParameters parameters, RedfishDriverOptions options, ILogger logger, CancellationToken ct)
    {
        var baseUri = RedfishAddress.Parse(parameters.Require("power_address"));
        var user = parameters.Require("power_user");
        var password = parameters.Require("power_pass");
        var verify = parameters.Get("power_verify_ssl") switch
        {
            "y" => true,
            "n" => false,
            var other => throw new PowerException(PowerErrorKind.InvalidParameters, $"The Redfish power_verify_ssl must be y or n, not '{other}'."),
        };

        var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, AllowAutoRedirect = false, UseCookies = false };
        if (!verify)
        {
#pragma warning disable CA5359 // The operator opted out for this machine (power_verify_ssl=n): BMCs ship self-signed certificates.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = options.RequestTimeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var connection = new RedfishConnection(http, baseUri, user, options, logger);
        try
        {
            await connection.AuthenticateAsync(password, ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<(JsonObject Body, string? ETag)> GetAsync(string path, CancellationToken ct) =>
        await GetIfExistsAsync(path, ct) ?? throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} has no {path} (HTTP 404).");

    /// <summary>The resource and its ETag, or null when the BMC answers 404.</summary>
    public async Task<(JsonObject Body, string? ETag)?> GetIfExistsAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), $"GET {path}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, $"GET {path}", ct);
        return (await ReadObjectAsync(response, $"GET {path}", ct), response.Headers.ETag?.ToString());
    }

    public async Task PostAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) }, $"POST {path}", ct);
        await EnsureSuccessAsync(response, $"POST {path}", ct);
    }

    /// <summary>PATCHes with <c>If-Match</c> when an ETag is known; false when the BMC says the resource changed since (412).</summary>
    public async Task<bool> TryPatchAsync(string path, JsonObject body, string? etag, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Json(body) };
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await SendAsync(request, $"PATCH {path}", ct);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed && etag is not null)
            return false;
        await EnsureSuccessAsync(response, $"PATCH {path}", ct);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (sessionUri is { } session)
        {
            sessionUri = null;
            using var timeout = new CancellationTokenSource(options.SessionCloseTimeout);
            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, session), timeout.Token);
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
                    RedfishLog.SessionCloseFailed(logger, Bmc, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                RedfishLog.SessionCloseFailed(logger, Bmc, e.Message);
            }
        }

        http.Dispose();
    }

    private async Task AuthenticateAsync(string password, CancellationToken ct)
    {
        // The service root is readable without credentials (DSP0266) and says whether sessions exist.
        using (var rootResponse = await SendAsync(new HttpRequestMessage(HttpMethod.Get, ServiceRoot), $"GET {ServiceRoot}", ct))
        {
            if (rootResponse.IsSuccessStatusCode)
                Root = await ReadObjectAsync(rootResponse, $"GET {ServiceRoot}", ct);
        }

        var sessions = Root?["Links"]?["Sessions"]?["@odata.id"].Text()
            ?? (Root is null || Root.ContainsKey("SessionService") ? DefaultSessions : null);
        if (sessions is null)
        {
            UseBasic(password);
            return;
        }

        var login = new JsonObject { ["UserName"] = user, ["Password"] = password };
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, sessions) { Content = Json(login) }, $"POST {sessions}", ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            UseBasic(password);
            return;
        }

        await EnsureSuccessAsync(response, "open a session", ct);
        if (!response.Headers.TryGetValues("X-Auth-Token", out var tokens) || tokens.FirstOrDefault() is not { Length: > 0 } token)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} opened a session without an X-Auth-Token.");
        http.DefaultRequestHeaders.Add("X-Auth-Token", token);

        var location = response.Headers.Location?.ToString();
        if (location is null)
        {
            var body = await ReadObjectAsync(response, "open a session", ct);
            location = body["@odata.id"].Text();
        }

        sessionUri = location is null ? null : new Uri(baseUri, location);
    }

    private void UseBasic(string password)
    {
        RedfishLog.BasicAuthFallback(logger, Bmc);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
            {
                throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} has a TLS certificate this rack does not trust ({tls.Message}); install its CA or set power_verify_ssl=n for a self-signed BMC.", e);
            }
            catch (HttpRequestException e)
            {
                throw new PowerException(PowerErrorKind.Unreachable, $"Cannot reach the Redfish BMC at {Bmc} ({e.Message}).", e);
            }
            catch (OperationCanceledException e)
            {
                throw new PowerException(PowerErrorKind.Unreachable, $"The Redfish BMC at {Bmc} did not answer {what} within the deadline.", e);
            }
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The Redfish BMC at {Bmc} refused user '{user}' (HTTP 401 on {what}); check power_user and power_pass.");
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The Redfish BMC at {Bmc} does not let user '{user}' {what} (HTTP 403); the account needs a role with ConfigureComponents.");
        var detail = await ErrorMessageAsync(response, ct);
        throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} answered {what} with HTTP {status}{detail}.");
    }

    /// <summary>The Redfish error message (<c>error.@Message.ExtendedInfo[0].Message</c> or <c>error.message</c>), shortened, or nothing.</summary>
    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            var error = body?["error"];
            var message = error?["@Message.ExtendedInfo"]?[0]?["Message"].Text() ?? error?["message"].Text();
            return message is { Length: > 0 } ? ": " + (message.Length > 200 ? message[..200] + "…" : message) : "";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException)
        {
            return "";
        }
    }

    private async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject
                ?? throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} answered {what} with JSON that is not an object.");
        }
        catch (JsonException e)
        {
            throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {Bmc} answered {what} with something that is not JSON.", e);
        }
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
