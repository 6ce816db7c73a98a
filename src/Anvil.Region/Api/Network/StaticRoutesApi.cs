using System.Globalization;
using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Ipam;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>static-routes/</c> and <c>static-routes/{id}/</c>: a route from the hosts of a source
/// subnet to a destination subnet through a gateway inside the source subnet.
/// </summary>
internal static class StaticRoutesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("StaticRoutesHandler", "static-routes/", "Manage static routes.")
            .Read(ListAsync, "List all static routes.\n\nEvery route, by id.")
            .Create(CreateAsync, "Create a static route.\n\nsource, destination and gateway_ip together are unique.", ApiAccess.Admin, [.. FormParams(create: true)]);

        api.Handler("StaticRouteHandler", "static-routes/{id}/", "Manage a static route.")
            .Read(ReadAsync, "Read a static route.\n\nWith its source and destination subnets.", NotFound)
            .Update(UpdateAsync, "Update a static route.\n\nAbsent fields keep their value.", ApiAccess.Admin, [NotFound, .. FormParams(create: false)])
            .Delete(DeleteAsync, "Delete a static route.\n\nNodes stop getting it at their next deployment.", ApiAccess.Admin, NotFound, ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such static route.");

    private static ApiSpecItem[] FormParams(bool create) =>
    [
        ApiParam.String("source", "The subnet the route is for (id, CIDR or specifier).", required: create),
        ApiParam.String("destination", "The subnet the route reaches (id, CIDR or specifier).", required: create),
        ApiParam.String("gateway_ip", "The next hop, inside the source subnet.", required: create),
        ApiParam.Int("metric", "Weight of the route (default 0)."),
        ApiError.BadRequest("A value is invalid, or the route exists."),
        ApiError.Forbidden("The caller is not an admin."),
    ];

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json(await RenderAsync(c, null, await StaticRouteStore.ListAsync(c, null, request.Aborted), request.Aborted)),
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json((await RenderAsync(c, null, [await FindAsync(c, null, request)], request.Aborted))[0]),
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var (source, destination, gateway, metric) = await ReadFormAsync(request, c, tx, current: null);
                var route = await StaticRouteStore.CreateAsync(c, tx, source.Id, destination.Id, gateway, metric, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created static route {source.Cidr} -> {destination.Cidr} via {gateway}.");
                return (await RenderAsync(c, tx, [route], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await FindAsync(c, tx, request);
                var (source, destination, gateway, metric) = await ReadFormAsync(request, c, tx, current);
                var route = await StaticRouteStore.UpdateAsync(c, tx, current.Id, source.Id, destination.Id, gateway, metric, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated static route {source.Cidr} -> {destination.Cidr} via {gateway}.");
                return (await RenderAsync(c, tx, [route], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var route = await FindAsync(c, tx, request);
                await StaticRouteStore.DeleteAsync(c, tx, route.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted static route {route.Id} via {route.GatewayIp}.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<(SubnetRecord Source, SubnetRecord Destination, string Gateway, int Metric)> ReadFormAsync(
        ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, StaticRouteRecord? current)
    {
        var errors = new FieldErrors();
        var source = await ReadSubnetAsync(errors, request, c, tx, "source", current?.SourceId);
        var destination = await ReadSubnetAsync(errors, request, c, tx, "destination", current?.DestinationId);
        var gatewayText = request.Has("gateway_ip") || current is null ? request.String("gateway_ip")?.Trim() : current.GatewayIp;
        IpAddress? gateway = null;
        if (string.IsNullOrEmpty(gatewayText))
            errors.Add("gateway_ip", "This field is required.");
        else if (IpAddress.TryParse(gatewayText, out var parsed))
            gateway = parsed;
        else
            errors.Add("gateway_ip", "Enter a valid IPv4 or IPv6 address.");
        var metric = current?.Metric ?? 0;
        errors.Try(() => metric = request.Int("metric") ?? metric);
        if (metric < 0)
            errors.Add("metric", "Ensure this value is greater than or equal to 0.");

        if (source is not null && destination is not null)
        {
            var sourceNet = IpNetwork.Parse(source.Cidr);
            if (source.Id == destination.Id)
                errors.Add("__all__", "source and destination cannot be the same subnet.");
            else if (sourceNet.Family != IpNetwork.Parse(destination.Cidr).Family)
                errors.Add("__all__", "source and destination must be the same IP version.");
            if (gateway is { } g && !sourceNet.Contains(g))
                errors.Add("gateway_ip", $"Enter an IP address in {source.Cidr}.");
        }

        errors.ThrowIfAny();
        return (source!, destination!, gateway!.Value.ToString(), metric);
    }

    private static async Task<SubnetRecord?> ReadSubnetAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, string field, long? currentId)
    {
        if (!request.Has(field) && currentId is { } id)
            return await SubnetStore.FindAsync(c, tx, id, request.Aborted);
        var key = request.String(field)?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            errors.Add(field, "This field is required.");
            return null;
        }

        var subnet = await NetworkLookups.SubnetFieldAsync(c, tx, key, request.Aborted);
        if (subnet is null)
            errors.Add(field, NetworkLookups.InvalidChoice);
        return subnet;
    }

    private static async Task<StaticRouteRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request) =>
        (long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await StaticRouteStore.FindAsync(c, tx, id, request.Aborted) : null)
        ?? throw new NotFoundException("No StaticRoute matches the given query.");

    private static async Task<List<StaticRouteDto>> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<StaticRouteRecord> routes, CancellationToken ct)
    {
        var renderer = await NetworkRenderer.LoadAsync(c, tx, ct);
        var subnets = (await SubnetStore.ListAsync(c, tx, ct)).ToDictionary(s => s.Id);
        return routes.Select(r => new StaticRouteDto(
            r.Id,
            renderer.Subnet(subnets[r.SourceId]),
            renderer.Subnet(subnets[r.DestinationId]),
            r.GatewayIp,
            r.Metric,
            ResourceUris.Item("static-routes", r.Id))).ToList();
    }
}

internal sealed record StaticRouteDto(long Id, Dto.SubnetDto Source, Dto.SubnetDto Destination, string GatewayIp, int Metric, string ResourceUri);
