using Anvil.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.RackLink;

/// <summary>
/// Where racks connect: a WebSocket at <c>/MAAS/rpc/link</c> on the region's HTTP port (one port to
/// open, ADR 0007). The connection is anonymous at the HTTP level; the shared-secret handshake
/// (<see cref="LinkHandshake"/>) authenticates it before any call runs.
/// </summary>
internal static class RackLinkEndpoint
{
    public const string Path = "/MAAS/rpc/link";

    public static WebApplication MapRackLink(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Map(Path, AcceptAsync);
        return app;
    }

    private static async Task AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("This endpoint takes a WebSocket from a rack controller.");
            return;
        }

        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Anvil.Region.RackLink");
        var secret = await services.GetRequiredService<LinkSecretStore>().GetOrCreateAsync(http.RequestAborted);
        var handler = services.GetRequiredService<RackLinkHandler>();
        var connections = services.GetRequiredService<RackConnections>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var socket = await http.WebSockets.AcceptWebSocketAsync();
        var peer = http.Connection.RemoteIpAddress?.ToString() ?? "rack";
        var session = handler.Open();
        try
        {
            session.Connection = await LinkHandshake.AcceptAsync(socket, secret, peer, session.HandleAsync, logger, stopping);
        }
        catch (LinkException e)
        {
            RackLinkLog.Refused(logger, peer, e.Message);
            socket.Dispose();
            return;
        }

        await using (session.Connection)
        {
            await Task.WhenAny(session.Connection.Completion, Task.Delay(Timeout.Infinite, stopping));
            if (session.Rack is not null)
                connections.Remove(session.Rack, session.Connection);
        }
    }
}

internal static partial class RackLinkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a rack link from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region announces {Url} to racks")]
    public static partial void Announced(ILogger logger, string url);
}

/// <summary>Records this region's URL for racks every minute, so registrations hand out every live region.</summary>
internal sealed class RegionAnnouncer(Anvil.Data.Database db, RackLinkOptions options, TimeProvider clock, ILogger<RegionAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RackLinkLog.Announced(logger, options.PublicUrl);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                await db.ReadAsync(
                    async c =>
                    {
                        await Anvil.Data.Racks.RackRegistrar.AnnounceRegionAsync(c, null, options.PublicUrl, clock.GetUtcNow(), stoppingToken);
                        return 0;
                    },
                    stoppingToken);
            }
            catch (Npgsql.NpgsqlException)
            {
                // The database is briefly away; the next tick tries again.
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
