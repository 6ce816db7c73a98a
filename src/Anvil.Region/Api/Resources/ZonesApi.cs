using Anvil.Data;
using Anvil.Data.Zones;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>MAAS's <c>zones/</c> and <c>zones/{name}/</c> resources (zones are addressed by name).</summary>
internal static class ZonesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("ZonesHandler", "zones/", "Physical availability zones (there is always a 'default' zone).")
            .Read(ListAsync, "List zones.\n\nEvery zone, in creation order.")
            .Create(
                CreateAsync,
                "Create a zone.\n\nZone names are unique and made of letters, digits, '-' and '_'.",
                ApiAccess.Admin,
                ApiParam.String("name", "The name of the new zone.", required: true),
                ApiParam.String("description", "A free-text description of the zone."),
                ApiError.BadRequest("The name is missing, invalid or taken."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("ZoneHandler", "zones/{name}/", "One zone, by name.")
            .Read(ReadAsync, "Read a zone.\n\nIts id, name and description.", ApiError.NotFound("No such zone."))
            .Update(
                UpdateAsync,
                """
                Update a zone.

                Change its description, or rename it; the default zone cannot be renamed.
                """,
                ApiAccess.Admin,
                ApiParam.String("name", "The new name of the zone."),
                ApiParam.String("description", "The new description of the zone."),
                ApiError.NotFound("No such zone."),
                ApiError.BadRequest("The new name is invalid or taken, or the zone is the default one."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a zone.\n\nIts machines move to the default zone, which itself cannot be deleted.",
                ApiAccess.Admin,
                ApiError.NotFound("No such zone."),
                ApiError.BadRequest("The zone is the default zone."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static NamedEntityStore Zones(ApiRequest request) => NamedEntityStore.Zones(request.Service<Database>());

    private static async Task<ApiResult> ListAsync(ApiRequest request) =>
        ApiResult.Json((await Zones(request).ListAsync(request.Aborted)).Select(ZoneDto.From).ToList());

    private static async Task<ApiResult> ReadAsync(ApiRequest request) =>
        ApiResult.Json(ZoneDto.From(await Zones(request).FindAsync(request.Path("name"), request.Aborted) ?? throw NotFound()));

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var name = ResourceNames.Check("name", request.RequiredString("name"));
        var description = request.String("description") ?? "";
        var zones = Zones(request);
        var zone = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var created = await zones.CreateAsync(c, tx, name, description, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Created zone '{created.Name}'.");
                return created;
            },
            request.Aborted);
        return ApiResult.Json(ZoneDto.From(zone));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var newName = request.String("name") is { Length: > 0 } n ? ResourceNames.Check("name", n) : null;
        var description = request.String("description");
        var zones = Zones(request);
        var zone = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await zones.FindAsync(c, tx, request.Path("name"), request.Aborted) ?? throw NotFound();
                var updated = await zones.UpdateAsync(c, tx, current.Id, newName, description, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Updated zone '{updated.Name}'.");
                return updated;
            },
            request.Aborted);
        return ApiResult.Json(ZoneDto.From(zone));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var zones = Zones(request);
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await zones.FindAsync(c, tx, request.Path("name"), request.Aborted) ?? throw NotFound();
                await zones.DeleteAsync(c, tx, current.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Deleted zone '{current.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static NotFoundException NotFound() => new("No Zone matches the given query.");
}
