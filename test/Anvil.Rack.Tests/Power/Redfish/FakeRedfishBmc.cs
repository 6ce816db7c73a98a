using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Rack.Tests.Power.Redfish;

/// <summary>
/// A test fake of a Redfish BMC, written for these tests from DMTF's Redfish schema facts (DSP0266,
/// ComputerSystem, SessionService): no Redfish emulator is packaged in Debian, so the test provides
/// one. Kestrel over HTTPS on loopback with a self-signed certificate made here; a service root, a
/// Systems collection of one or more ComputerSystems, a SessionService (optional), a Reset action
/// that changes PowerState, and PATCH of Boot with ETag / If-Match. Every request is recorded.
/// </summary>
internal sealed class FakeRedfishBmc : IAsyncDisposable
{
    private const string SessionsPath = "/redfish/v1/SessionService/Sessions";

    private readonly WebApplication app;
    private readonly FakeRedfishBmcSettings settings;
    private readonly ConcurrentDictionary<string, string> sessions = new(); // token → session path
    private readonly Dictionary<string, FakeSystem> systems;
    private readonly Lock gate = new();
    private int nextSession;

    private FakeRedfishBmc(WebApplication app, FakeRedfishBmcSettings settings)
    {
        this.app = app;
        this.settings = settings;
        systems = Enumerable.Range(1, settings.Systems).ToDictionary(i => i.ToString(), _ => new FakeSystem { PowerState = settings.PowerState });
    }

    /// <summary><c>127.0.0.1:port</c>, as an operator would type it into power_address.</summary>
    public string Address { get; private set; } = "";

    public ConcurrentQueue<FakeRedfishRequest> Requests { get; } = new();

    public ConcurrentQueue<string> DeletedSessions { get; } = new();

    public ConcurrentQueue<string> IssuedTokens { get; } = new();

    /// <summary>Reset types received, in order, as (system id, ResetType).</summary>
    public ConcurrentQueue<(string System, string ResetType)> Resets { get; } = new();

    public static async Task<FakeRedfishBmc> StartAsync(FakeRedfishBmcSettings settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        var certificate = SelfSignedCertificate();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var bmc = new FakeRedfishBmc(app, settings);
        app.Run(bmc.HandleAsync);
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        bmc.Address = $"127.0.0.1:{url.Port}";
        return bmc;
    }

    public string PowerStateOf(string system)
    {
        lock (gate)
            return systems[system].PowerState;
    }

    public (string? Target, string? Enabled) BootOverrideOf(string system)
    {
        lock (gate)
            return (systems[system].BootTarget, systems[system].BootEnabled);
    }

    public string Password => settings.Password;

    public string ETagOf(string system)
    {
        lock (gate)
            return systems[system].ETag;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-redfish-bmc", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = (request.Path.Value ?? "/").TrimEnd('/');
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        var auth = AuthenticationOf(request);
        Requests.Enqueue(new FakeRedfishRequest(request.Method, path, auth, body, request.Headers.IfMatch.ToString()));

        if (request.Method == "GET" && path == "/redfish/v1")
        {
            await JsonAsync(context, 200, ServiceRoot());
            return;
        }

        if (request.Method == "POST" && path == SessionsPath && settings.OffersSessions)
        {
            await CreateSessionAsync(context, body);
            return;
        }

        if (auth == FakeRedfishAuth.None)
        {
            await ErrorAsync(context, 401, "Base.1.0.InsufficientPrivilege", "There are insufficient privileges for the account or credentials associated with the current session to perform the requested operation.");
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Method, segments)
        {
            case ("DELETE", ["redfish", "v1", "SessionService", "Sessions", var id]) when settings.OffersSessions:
                var token = sessions.FirstOrDefault(s => s.Value == $"{SessionsPath}/{id}").Key;
                if (token is null || !sessions.TryRemove(token, out _))
                {
                    context.Response.StatusCode = 404;
                    return;
                }

                DeletedSessions.Enqueue(token);
                context.Response.StatusCode = 204;
                return;
            case ("GET", ["redfish", "v1", "Systems"]):
                await JsonAsync(context, 200, SystemsCollection());
                return;
            case ("GET", ["redfish", "v1", "Systems", var id]) when systems.ContainsKey(id):
                lock (gate)
                    context.Response.Headers.ETag = systems[id].ETag;
                await JsonAsync(context, 200, ComputerSystem(id));
                return;
            case ("POST", ["redfish", "v1", "Systems", var id, "Actions", "ComputerSystem.Reset"]) when systems.ContainsKey(id):
                await ResetAsync(context, id, body);
                return;
            case ("PATCH", ["redfish", "v1", "Systems", var id]) when systems.ContainsKey(id):
                await PatchAsync(context, id, body, request.Headers.IfMatch.ToString());
                return;
            default:
                await ErrorAsync(context, 404, "Base.1.0.ResourceMissingAtURI", $"The resource at the URI {path} was not found.");
                return;
        }
    }

    private FakeRedfishAuth AuthenticationOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Auth-Token", out var token))
            return sessions.ContainsKey(token.ToString()) ? FakeRedfishAuth.Session : FakeRedfishAuth.None;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
            return FakeRedfishAuth.None;
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return pair == $"{settings.User}:{settings.Password}" ? FakeRedfishAuth.Basic : FakeRedfishAuth.None;
    }

    private async Task CreateSessionAsync(HttpContext context, string body)
    {
        var login = JsonNode.Parse(body);
        if (login?["UserName"]?.GetValue<string>() != settings.User || login?[nameof(Password)]?.GetValue<string>() != settings.Password)
        {
            await ErrorAsync(context, 401, "Base.1.0.NoValidSession", "There is no valid session established with the implementation.");
            return;
        }

        var id = Interlocked.Increment(ref nextSession).ToString();
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        sessions[token] = $"{SessionsPath}/{id}";
        IssuedTokens.Enqueue(token);
        context.Response.Headers["X-Auth-Token"] = token;
        context.Response.Headers.Location = $"{SessionsPath}/{id}";
        await JsonAsync(context, 201, new JsonObject
        {
            ["@odata.id"] = $"{SessionsPath}/{id}",
            ["@odata.type"] = "#Session.v1_0_0.Session",
            ["Id"] = id,
            ["UserName"] = settings.User,
        });
    }

    private async Task ResetAsync(HttpContext context, string id, string body)
    {
        var resetType = JsonNode.Parse(body)?["ResetType"]?.GetValue<string>() ?? "";
        if (settings.AllowableResetTypes is { } allowed && !allowed.Contains(resetType))
        {
            await ErrorAsync(context, 400, "Base.1.0.ActionParameterValueNotInList", $"The value {resetType} for the parameter ResetType is not in the list of acceptable values.");
            return;
        }

        lock (gate)
        {
            var system = systems[id];
            system.PowerState = resetType switch
            {
                "On" or "ForceOn" or "ForceRestart" or "PowerCycle" or "GracefulRestart" => "On",
                "ForceOff" or "GracefulShutdown" => "Off",
                _ => system.PowerState,
            };
            system.Version++;
        }

        Resets.Enqueue((id, resetType));
        context.Response.StatusCode = 204;
    }

    private async Task PatchAsync(HttpContext context, string id, string body, string ifMatch)
    {
        lock (gate)
        {
            var system = systems[id];
            if (ifMatch.Length > 0 && ifMatch != system.ETag)
            {
                context.Response.StatusCode = 412;
                return;
            }

            var boot = JsonNode.Parse(body)?["Boot"];
            system.BootTarget = boot?["BootSourceOverrideTarget"]?.GetValue<string>() ?? system.BootTarget;
            system.BootEnabled = boot?["BootSourceOverrideEnabled"]?.GetValue<string>() ?? system.BootEnabled;
            system.Version++;
        }

        await JsonAsync(context, 200, ComputerSystem(id));
    }

    private JsonObject ServiceRoot()
    {
        var root = new JsonObject
        {
            ["@odata.id"] = "/redfish/v1/",
            ["@odata.type"] = "#ServiceRoot.v1_5_0.ServiceRoot",
            ["Id"] = "RootService",
            ["RedfishVersion"] = "1.6.0",
            ["Systems"] = new JsonObject { ["@odata.id"] = "/redfish/v1/Systems" },
        };
        if (settings.OffersSessions)
        {
            root["SessionService"] = new JsonObject { ["@odata.id"] = "/redfish/v1/SessionService" };
            root["Links"] = new JsonObject { ["Sessions"] = new JsonObject { ["@odata.id"] = SessionsPath } };
        }

        return root;
    }

    private JsonObject SystemsCollection() => new()
    {
        ["@odata.id"] = "/redfish/v1/Systems",
        ["@odata.type"] = "#ComputerSystemCollection.ComputerSystemCollection",
        ["Members@odata.count"] = systems.Count,
        ["Members"] = new JsonArray([.. systems.Keys.Select(id => (JsonNode)new JsonObject { ["@odata.id"] = $"/redfish/v1/Systems/{id}" })]),
    };

    private JsonObject ComputerSystem(string id)
    {
        lock (gate)
        {
            var system = systems[id];
            var reset = new JsonObject { ["target"] = $"/redfish/v1/Systems/{id}/Actions/ComputerSystem.Reset" };
            if (settings.AllowableResetTypes is { } allowed)
                reset["ResetType@Redfish.AllowableValues"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]);
            return new JsonObject
            {
                ["@odata.id"] = $"/redfish/v1/Systems/{id}",
                ["@odata.type"] = "#ComputerSystem.v1_10_0.ComputerSystem",
                ["Id"] = id,
                ["Name"] = $"Fake system {id}",
                ["PowerState"] = system.PowerState,
                ["Boot"] = new JsonObject
                {
                    ["BootSourceOverrideEnabled"] = system.BootEnabled ?? "Disabled",
                    ["BootSourceOverrideTarget"] = system.BootTarget ?? "None",
                    ["BootSourceOverrideTarget@Redfish.AllowableValues"] = new JsonArray("None", "Pxe", "Hdd", "Cd", "BiosSetup"),
                },
                ["Actions"] = new JsonObject { ["#ComputerSystem.Reset"] = reset },
            };
        }
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        JsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["@Message.ExtendedInfo"] = new JsonArray(new JsonObject { ["MessageId"] = code, ["Message"] = message }),
            },
        });

    private sealed class FakeSystem
    {
        public required string PowerState { get; set; }

        public string? BootTarget { get; set; }

        public string? BootEnabled { get; set; }

        public int Version { get; set; } = 1;

        public string ETag => $"W/\"{Version}\"";
    }
}

internal sealed record FakeRedfishBmcSettings
{
    public string User { get; init; } = "anvil";

    public string Password { get; init; } = "s3cret-" + Guid.NewGuid().ToString("N");

    public bool OffersSessions { get; init; } = true;

    public int Systems { get; init; } = 1;

    public string PowerState { get; init; } = "Off";

    /// <summary>What <c>ResetType@Redfish.AllowableValues</c> lists; null leaves the annotation out (and accepts anything).</summary>
    public string[]? AllowableResetTypes { get; init; } = ["On", "ForceOff", "GracefulShutdown", "ForceRestart", "PowerCycle", "Nmi"];
}

internal enum FakeRedfishAuth
{
    None,
    Basic,
    Session,
}

internal sealed record FakeRedfishRequest(string Method, string Path, FakeRedfishAuth Auth, string Body, string IfMatch);
