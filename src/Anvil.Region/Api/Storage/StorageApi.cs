using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Storage;

/// <summary>The storage resources of maas-api.md §3.9 (vmfs-datastores aside).</summary>
internal static class StorageApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        BlockDevicesApi.Map(api);
        PartitionsApi.Map(api);
        VolumeGroupsApi.Map(api);
        RaidsApi.Map(api);
        BcachesApi.Map(api);
    }
}
