using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Controllers;
using Anvil.Data.Leases;
using Anvil.Data.Network;
using Anvil.Data.Racks;
using Anvil.Data.Timeline;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;

namespace Anvil.Region.RackLink;

/// <summary>
/// The region's side of the calls racks make over one link. A link belongs to the rack that
/// registered on it (or first named itself); later calls naming another rack are refused, so one
/// rack cannot report leases or services as another over its own link.
/// </summary>
internal sealed class RackLinkHandler(
    Database db,
    BootConfigService boot,
    RackConnections connections,
    ControllerStore controllers,
    RackLinkOptions options,
    TimeProvider clock,
    Images.RackImageManifest images)
{
    private readonly ServiceStore services = new(db);

    private RackConnections Connections => connections;

    /// <summary>One link's calls; <see cref="RackLinkSession.Rack"/> is the rack it belongs to once known.</summary>
    public RackLinkSession Open() => new(this);

    internal sealed class RackLinkSession(RackLinkHandler region)
    {
        private readonly Lock gate = new();
        private string? rack;
        private LinkConnection? connection;

        /// <summary>Set once the handshake is done; a call may bind the rack just before that.</summary>
        public LinkConnection? Connection
        {
            get => connection;
            set
            {
                lock (gate)
                {
                    connection = value;
                    if (rack is not null && value is not null)
                        region.Connections.Add(rack, value);
                }
            }
        }

        public string? Rack => rack;

        public Task<object?> HandleAsync(string method, JsonElement args, CancellationToken ct) => region.HandleAsync(this, method, args, ct);

        internal string Bind(string systemId)
        {
            lock (gate)
            {
                if (rack is null)
                {
                    rack = systemId;
                    if (connection is not null)
                        region.Connections.Add(systemId, connection);
                }
                else if (!string.Equals(rack, systemId, StringComparison.Ordinal))
                {
                    throw new ForbiddenException($"This link belongs to rack {rack}, not {systemId}.");
                }

                return systemId;
            }
        }
    }

    private async Task<object?> HandleAsync(RackLinkSession session, string method, JsonElement args, CancellationToken ct)
    {
        var rack = session.Rack;
        string Bind(string systemId) => session.Bind(systemId);
        {
            switch (method)
            {
                case LinkMethods.Ping:
                    var ping = LinkJson.FromElement<PingRequest>(args);
                    if (ping.SystemId is not null)
                        await controllers.TouchAsync(await NodeIdAsync(Bind(ping.SystemId), ct), clock.GetUtcNow(), ct);
                    return new PingResponse(clock.GetUtcNow());
                case LinkMethods.RegisterRack:
                    var registration = LinkJson.FromElement<RegisterRackRequest>(args);
                    if (rack is not null && registration.SystemId != rack)
                        throw new ForbiddenException($"This link belongs to rack {rack}.");
                    var registered = await RegisterAsync(registration, ct);
                    Bind(registered.SystemId);
                    return registered;
                case LinkMethods.GetRackConfig:
                    var request = LinkJson.FromElement<RackConfigRequest>(args);
                    return await ConfigAsync(Bind(request.SystemId), request.KnownVersion, ct);
                case LinkMethods.GetBootConfig:
                    var question = LinkJson.FromElement<BootConfigRequest>(args);
                    Bind(question.SystemId);
                    return await boot.GetAsync(question.Request, ct);
                case LinkMethods.UpdateLeases:
                    var batch = LinkJson.FromElement<UpdateLeasesRequest>(args);
                    Bind(batch.SystemId);
                    var result = await LeaseProcessor.ApplyBatchAsync(db, [.. batch.Leases.Select(ToLeaseEvent)], ct);
                    return new UpdateLeasesResponse(result.Applied, result.Ignored, result.Errors);
                case LinkMethods.RecordBootEvents:
                    var events = LinkJson.FromElement<RecordBootEventsRequest>(args);
                    var source = Bind(events.SystemId);
                    var rows = events.Events.Select(e => new BootEventRow(e.At, e.Stage, e.Kind, e.Detail, e.Bytes, Mac: e.Mac, Source: source)).ToList();
                    return new RecordBootEventsResponse(await db.ReadAsync(c => BootEventStore.InsertAsync(c, rows, ct), ct));
                case LinkMethods.UpdateServices:
                    var report = LinkJson.FromElement<UpdateServicesRequest>(args);
                    var node = await NodeIdAsync(Bind(report.SystemId), ct);
                    await services.ReportAsync(node, [.. report.Services.Select(s => (s.Name, s.Status, s.StatusInfo))], ct);
                    return null;
                case LinkMethods.GetBootImages:
                    var wanted = LinkJson.FromElement<BootImagesRequest>(args);
                    Bind(wanted.SystemId);
                    return await images.GetAsync(wanted.KnownVersion, ct);
                case LinkMethods.ReportBootImages:
                    var held = LinkJson.FromElement<ReportBootImagesRequest>(args);
                    await images.ReportAsync(await NodeIdAsync(Bind(held.SystemId), ct), held, ct);
                    return null;
                default:
                    throw new LinkUnknownMethodException(method);
            }
        }
    }

    private async Task<long> NodeIdAsync(string systemId, CancellationToken ct) =>
        await db.ReadAsync(c => RackRegistrar.NodeIdAsync(c, systemId, ct), ct) ?? throw new NotFoundException($"No rack controller with system_id {systemId}.");

    private async Task<RegisterRackResponse> RegisterAsync(RegisterRackRequest request, CancellationToken ct)
    {
        var interfaces = request.Interfaces
            .Select(i => new ReportedInterface(i.Name, i.Type, i.Mac, i.Parents, i.Vid, [.. i.Links.Select(l => new ReportedLink(l))]))
            .ToList();
        var now = clock.GetUtcNow();
        var (rack, regions) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var registered = await RackRegistrar.RegisterAsync(c, tx, new RackRegistration(request.SystemId, request.Hostname, request.Architecture, request.Version, interfaces), now, ct);
                return (registered, await RackRegistrar.RegionUrlsAsync(c, tx, now, ct));
            },
            ct);
        var urls = regions.Contains(options.PublicUrl, StringComparer.Ordinal) ? regions : [options.PublicUrl, .. regions];
        return new RegisterRackResponse(rack.SystemId, rack.Hostname, urls);
    }

    private async Task<RackConfigResponse> ConfigAsync(string systemId, string? knownVersion, CancellationToken ct)
    {
        var deadBefore = clock.GetUtcNow() - options.RackDeadAfter;
        var snapshot = await db.ReadAsync(c => RackDhcpQueries.ReadAsync(c, null, systemId, deadBefore, ct), ct);
        var dhcp = RackConfigBuilder.Build(snapshot);
        var version = RackConfigBuilder.Version(dhcp);
        return version == knownVersion ? new RackConfigResponse(version, true, null) : new RackConfigResponse(version, false, dhcp);
    }

    private static LeaseEvent ToLeaseEvent(LeaseEventDto e) => new(
        e.Action switch
        {
            "commit" => LeaseAction.Commit,
            "release" => LeaseAction.Release,
            "expiry" => LeaseAction.Expiry,
            _ => throw new ValidationException("action", $"'{e.Action}' is not a lease action (commit, release, expiry)."),
        },
        e.IpFamily == "ipv6" ? IpFamily.V6 : IpFamily.V4,
        e.Mac,
        e.Ip,
        e.Hostname,
        DateTimeOffset.FromUnixTimeSeconds(e.Timestamp),
        e.LeaseTime);
}
