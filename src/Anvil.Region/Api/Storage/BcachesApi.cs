using System.Text.Json.Nodes;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>nodes/{system_id}/bcaches/</c>, <c>…/bcache/{id}/</c>, <c>…/bcache-cache-sets/</c> and <c>…/bcache-cache-set/{id}/</c>.</summary>
internal static class BcachesApi
{
    private const string NoBacking = "Either backing_device or backing_partition must be specified.";
    private const string BothBacking = "A Bcache can have either a backing device or partition.";
    private const string NoCache = "Either cache_device or cache_partition must be specified.";
    private const string BothCache = "Cannot set both cache_device and cache_partition.";

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("BcachesHandler", "nodes/{system_id}/bcaches/", "Manage bcache devices on a machine.")
            .Read(ListAsync, "List all bcache devices belonging to a machine.", ApiError.NotFound("The machine is not found."))
            .Create(CreateAsync, "Create a bcache device.",
                String("name", "Name of the Bcache (bcacheN when omitted)."),
                String("uuid", "UUID of the Bcache."),
                String("cache_set", "Cache set id or name.", required: true),
                String("backing_device", "Backing block device."),
                String("backing_partition", "Backing partition."),
                String("cache_mode", "writeback, writethrough or writearound.", required: true),
                ApiError.Conflict("The machine is not Ready."));

        api.Handler("BcacheHandler", "nodes/{system_id}/bcache/{id}/", "Manage bcache device on a machine.")
            .Read(ReadAsync, "Read a bcache device.", ApiError.NotFound("The machine or bcache is not found."))
            .Update(UpdateAsync, "Update a bcache device.",
                String("name", "Name of the Bcache."),
                String("uuid", "UUID of the Bcache."),
                String("cache_set", "Cache set to replace the current one."),
                String("backing_device", "Backing block device to replace the current one."),
                String("backing_partition", "Backing partition to replace the current one."),
                String("cache_mode", "writeback, writethrough or writearound."))
            .Delete(DeleteAsync, "Delete a bcache device.");

        api.Handler("BcacheCacheSetsHandler", "nodes/{system_id}/bcache-cache-sets/", "Manage bcache cache sets on a machine.")
            .Read(ListCacheSetsAsync, "List all bcache cache sets belonging to a machine.", ApiError.NotFound("The machine is not found."))
            .Create(CreateCacheSetAsync, "Create a bcache cache set.",
                String("cache_device", "Cache block device."),
                String("cache_partition", "Cache partition."),
                ApiError.Conflict("The machine is not Ready."));

        api.Handler("BcacheCacheSetHandler", "nodes/{system_id}/bcache-cache-set/{id}/", "Manage bcache cache set on a machine.")
            .Read(ReadCacheSetAsync, "Read a bcache cache set.", ApiError.NotFound("The machine or cache set is not found."))
            .Update(UpdateCacheSetAsync, "Update a bcache cache set.",
                String("cache_device", "Cache block device to replace the current one."),
                String("cache_partition", "Cache partition to replace the current one."))
            .Delete(DeleteCacheSetAsync, "Delete a bcache cache set.");
    }

    private static StorageGroup Of(StorageModel m, ApiRequest r) => StorageChange.GroupOf(m, r.Path("id"), g => g.IsBcache, "Bcache");

    private static Task<ApiResult> ListAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.Groups.Where(g => g.IsBcache).OrderBy(g => g.Id).Select(g => (JsonNode)StorageJson.Bcache(m, g))]));

    private static Task<ApiResult> ReadAsync(ApiRequest r) => StorageChange.ReadAsync(r, m => StorageJson.Bcache(m, Of(m, r)));

    private static Task<ApiResult> CreateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create Bcache because the node is not Ready."), "create_bcache", x =>
        {
            var m = x.Model;
            var cacheSet = StorageEditor.ResolveCacheSet(m, r.String("cache_set"));
            var backing = StorageEditor.OneOf(m, "backing_device", r.String("backing_device"), "backing_partition", r.String("backing_partition"), NoBacking, BothBacking);
            var group = StorageEditor.CreateBcache(m, r.String("name"), r.String("uuid"), cacheSet, backing, r.String("cache_mode"));
            return () => StorageJson.Bcache(m, group);
        });

    private static Task<ApiResult> UpdateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot update Bcache because the node is not Ready."), "update_bcache", x =>
        {
            var m = x.Model;
            var group = Of(m, r);
            var cacheSet = r.String("cache_set") is { Length: > 0 } cs ? StorageEditor.ResolveCacheSet(m, cs) : null;
            StorageVolume? backing = r.String("backing_device") is { Length: > 0 } || r.String("backing_partition") is { Length: > 0 }
                ? StorageEditor.OneOf(m, "backing_device", r.String("backing_device"), "backing_partition", r.String("backing_partition"), NoBacking, BothBacking, group)
                : null;
            StorageEditor.UpdateBcache(m, group, r.String("name"), r.String("uuid"), cacheSet, backing, r.String("cache_mode"));
            return () => StorageJson.Bcache(m, group);
        });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete Bcache because the node is not Ready."), "delete_bcache", x =>
        {
            StorageEditor.DeleteGroup(x.Model, Of(x.Model, r));
            return null;
        });

    private static Task<ApiResult> ListCacheSetsAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.CacheSets.OrderBy(s => s.Id).Select(s => (JsonNode)StorageJson.CacheSet(m, s))]));

    private static Task<ApiResult> ReadCacheSetAsync(ApiRequest r) => StorageChange.ReadAsync(r, m => StorageJson.CacheSet(m, StorageChange.CacheSetOf(m, r.Path("id"))));

    private static Task<ApiResult> CreateCacheSetAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create cache set because the node is not Ready."), "create_cache_set", x =>
        {
            var cache = StorageEditor.OneOf(x.Model, "cache_device", r.String("cache_device"), "cache_partition", r.String("cache_partition"), NoCache, BothCache);
            var cacheSet = StorageEditor.CreateCacheSet(x.Model, cache);
            return () => StorageJson.CacheSet(x.Model, cacheSet);
        });

    private static Task<ApiResult> UpdateCacheSetAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot update cache set because the node is not Ready."), "update_cache_set", x =>
        {
            var cacheSet = StorageChange.CacheSetOf(x.Model, r.Path("id"));
            if (r.String("cache_device") is { Length: > 0 } || r.String("cache_partition") is { Length: > 0 })
            {
                // The current cache device is being replaced, so it is free to name again.
                x.Model.Filesystems.RemoveAll(f => f.CacheSetId == cacheSet.Id);
                var cache = StorageEditor.OneOf(x.Model, "cache_device", r.String("cache_device"), "cache_partition", r.String("cache_partition"), NoCache, BothCache);
                StorageEditor.SetCacheDevice(x.Model, cacheSet, cache);
            }

            return () => StorageJson.CacheSet(x.Model, cacheSet);
        });

    private static Task<ApiResult> DeleteCacheSetAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete cache set because the node is not Ready."), "delete_cache_set", x =>
        {
            StorageEditor.DeleteCacheSet(x.Model, StorageChange.CacheSetOf(x.Model, r.Path("id")));
            return null;
        });
}
