using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Anvil.Server.RackLink;

/// <summary>
/// BMCs behind MAAS's webhook power contract, run by the test on loopback: one HTTP server, and
/// every distinct query path (<c>/status/&lt;n&gt;</c>) is one BMC. It measures what the region's
/// power traffic looks like at the BMC: requests in flight per BMC and in all, and when (on the
/// test's clock) each query arrived. With <see cref="RequiredBasicAuth"/> set it refuses other
/// credentials with 401, as a BMC with a different password would.
/// </summary>
internal sealed class RackPowerWebhookBmc : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private readonly TimeSpan answerDelay;
    private int total;
    private string state = "stopped";

    private RackPowerWebhookBmc(WebApplication app, TimeProvider clock, TimeSpan answerDelay)
    {
        this.app = app;
        this.clock = clock;
        this.answerDelay = answerDelay;
    }

    /// <summary>"METHOD path authorization" of every request, in arrival order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>The clock's time when each query (GET) arrived.</summary>
    public List<DateTimeOffset> QueryArrivals { get; } = [];

    /// <summary>Most requests one BMC (one path) had in flight at once.</summary>
    public int MaxInFlightPerBmc { get; private set; }

    /// <summary>Most requests in flight at once over all BMCs.</summary>
    public int MaxInFlight { get; private set; }

    /// <summary>Requests answered so far.</summary>
    public int Answered { get; private set; }

    /// <summary>When set, only <c>Basic base64(user:password)</c> of these credentials is accepted.</summary>
    public (string User, string Password)? RequiredBasicAuth { get; set; }

    /// <summary>When true the BMC takes on/off requests but its state never changes.</summary>
    public bool Stuck { get; set; }

    public string Url => app.Urls.First();

    public static async Task<RackPowerWebhookBmc> StartAsync(TimeProvider? clock = null, TimeSpan answerDelay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var bmc = new RackPowerWebhookBmc(app, clock ?? TimeProvider.System, answerDelay);
        app.Run(bmc.AnswerAsync);
        await app.StartAsync();
        return bmc;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        lock (Requests)
        {
            Requests.Add($"{http.Request.Method} {path} {http.Request.Headers.Authorization}");
            if (HttpMethods.IsGet(http.Request.Method))
                QueryArrivals.Add(clock.GetUtcNow());
            inFlight[path] = inFlight.GetValueOrDefault(path) + 1;
            total++;
            MaxInFlightPerBmc = Math.Max(MaxInFlightPerBmc, inFlight[path]);
            MaxInFlight = Math.Max(MaxInFlight, total);
        }

        try
        {
            if (answerDelay > TimeSpan.Zero)
                await Task.Delay(answerDelay);
            if (RequiredBasicAuth is var (user, password) &&
                http.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (!Stuck && path == "/on")
                state = "running";
            else if (!Stuck && path == "/off")
                state = "stopped";
            await http.Response.WriteAsync($"{{\"status\": \"{state}\"}}");
        }
        finally
        {
            lock (Requests)
            {
                inFlight[path]--;
                total--;
                Answered++;
            }
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
