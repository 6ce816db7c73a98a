using Anvil.Data;
using Anvil.Data.Zones;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// MAAS's <c>resourcepools/</c> and <c>resourcepool/{id}/</c> resources: note the singular item
/// path, keyed by id. Pool changes are audited under the ZONES type (MAAS has no pool type).
/// </summary>
internal static class ResourcePoolsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("ResourcePoolsHandler", "resourcepools/", "Resource pools: groups of machines (there is always a 'default' pool).")
            .Read(ListAsync, "List resource pools.\n\nEvery pool, in creation order.")
            .Create(
                CreateAsync,
                "Create a resource pool.\n\nPool names are unique and made of letters, digits, '-' and '_'.",
                ApiAccess.Admin,
                ApiParam.String("name", "The name of the new pool.", required: true),
                ApiParam.String("description", "A free-text description of the pool."),
                ApiError.BadRequest("The name is missing, invalid or taken."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("ResourcePoolHandler", "resourcepool/{id}/", "One resource pool, by id.")
            .Read(ReadAsync, "Read a resource pool.\n\nIts id, name and description.", ApiError.NotFound("No such pool."))
            .Update(
                UpdateAsync,
                "Update a resource pool.\n\nRename it or change its description; the default pool cannot be renamed.",
                ApiAccess.Admin,
                ApiParam.String("name", "The new name of the pool."),
                ApiParam.String("description", "The new description of the pool."),
                ApiError.NotFound("No such pool."),
                ApiError.BadRequest("The new name is invalid or taken, or the pool is the default one."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a resource pool.\n\nOnly an empty pool other than the default can be deleted.",
                ApiAccess.Admin,
                ApiError.NotFound("No such pool."),
                ApiError.BadRequest("The pool is the default pool or still holds machines."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static NamedEntityStore Pools(ApiRequest request) => NamedEntityStore.Pools(request.Service<Database>());

    private static long PoolId(ApiRequest request) => long.TryParse(request.Path("id"), out var id) ? id : throw NotFound();

    private static async Task<ApiResult> ListAsync(ApiRequest request) =>
        ApiResult.Json((await Pools(request).ListAsync(request.Aborted)).Select(ResourcePoolDto.From).ToList());

    private static async Task<ApiResult> ReadAsync(ApiRequest request) =>
        ApiResult.Json(ResourcePoolDto.From(await Pools(request).FindAsync(PoolId(request), request.Aborted) ?? throw NotFound()));

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var name = ResourceNames.Check("name", request.RequiredString("name"));
        var description = request.String("description") ?? "";
        var pools = Pools(request);
        var pool = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var created = await pools.CreateAsync(c, tx, name, description, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Created resource pool '{created.Name}'.");
                return created;
            },
            request.Aborted);
        return ApiResult.Json(ResourcePoolDto.From(pool));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var id = PoolId(request);
        var newName = request.String("name") is { Length: > 0 } n ? ResourceNames.Check("name", n) : null;
        var description = request.String("description");
        var pools = Pools(request);
        var pool = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var updated = await pools.UpdateAsync(c, tx, id, newName, description, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Updated resource pool '{updated.Name}'.");
                return updated;
            },
            request.Aborted);
        return ApiResult.Json(ResourcePoolDto.From(pool));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = PoolId(request);
        var pools = Pools(request);
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var deleted = await pools.DeleteAsync(c, tx, id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.ZONES, $"Deleted resource pool '{deleted.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static NotFoundException NotFound() => new("No ResourcePool matches the given query.");
}
