using System.Text.Json.Nodes;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>nodes/{system_id}/raids/</c> and <c>…/raid/{id}/</c>.</summary>
internal static class RaidsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("RaidsHandler", "nodes/{system_id}/raids/", "Manage all RAIDs (Redundant Array of Independent Disks) on a machine.")
            .Read(ListAsync, "List all RAIDs belonging to a machine.", ApiError.NotFound("The machine is not found."))
            .Create(CreateAsync, "Create a RAID.",
                String("level", "RAID level: raid-0, raid-1, raid-5, raid-6 or raid-10.", required: true),
                String("name", "Name of the RAID (mdN when omitted)."),
                String("uuid", "UUID of the RAID."),
                Strings("block_devices", "Block devices to add to the RAID."),
                Strings("spare_devices", "Spare block devices to add to the RAID."),
                Strings("partitions", "Partitions to add to the RAID."),
                Strings("spare_partitions", "Spare partitions to add to the RAID."),
                ApiError.Conflict("The machine is not Ready."));

        api.Handler("RaidHandler", "nodes/{system_id}/raid/{id}/", "Manage a specific RAID on a machine.")
            .Read(ReadAsync, "Read a RAID.", ApiError.NotFound("The machine or RAID is not found."))
            .Update(UpdateAsync, "Update a RAID.",
                String("name", "Name of the RAID."),
                String("uuid", "UUID of the RAID."),
                Strings("add_block_devices", "Block devices to add."),
                Strings("remove_block_devices", "Block devices to remove."),
                Strings("add_partitions", "Partitions to add."),
                Strings("remove_partitions", "Partitions to remove."),
                Strings("add_spare_devices", "Spare devices to add."),
                Strings("remove_spare_devices", "Spare devices to remove."),
                Strings("add_spare_partitions", "Spare partitions to add."),
                Strings("remove_spare_partitions", "Spare partitions to remove."))
            .Delete(DeleteAsync, "Delete a RAID.");
    }

    private static StorageGroup Of(StorageModel m, ApiRequest r) => StorageChange.GroupOf(m, r.Path("id"), g => g.IsRaid, "RAID");

    private static Task<ApiResult> ListAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.Groups.Where(g => g.IsRaid).OrderBy(g => g.Id).Select(g => (JsonNode)StorageJson.Raid(m, g))]));

    private static Task<ApiResult> ReadAsync(ApiRequest r) => StorageChange.ReadAsync(r, m => StorageJson.Raid(m, Of(m, r)));

    private static Task<ApiResult> CreateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create RAID because the node is not Ready."), "create_raid", x =>
        {
            var m = x.Model;
            var active = StorageEditor.ResolveDevices(m, "block_devices", StorageChange.Ids(r, "block_devices"))
                .Concat(StorageEditor.ResolvePartitions(m, "partitions", StorageChange.Ids(r, "partitions"))).ToList();
            var spares = StorageEditor.ResolveDevices(m, "spare_devices", StorageChange.Ids(r, "spare_devices"))
                .Concat(StorageEditor.ResolvePartitions(m, "spare_partitions", StorageChange.Ids(r, "spare_partitions"))).ToList();
            var group = StorageEditor.CreateRaid(m, r.RequiredString("level"), r.String("name"), r.String("uuid"), active, spares);
            return () => StorageJson.Raid(m, group);
        });

    private static Task<ApiResult> UpdateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot update RAID because the node is not Ready."), "update_raid", x =>
        {
            var m = x.Model;
            var group = Of(m, r);
            var addActive = StorageEditor.ResolveDevices(m, "add_block_devices", StorageChange.Ids(r, "add_block_devices"), group)
                .Concat(StorageEditor.ResolvePartitions(m, "add_partitions", StorageChange.Ids(r, "add_partitions"), group)).ToList();
            var addSpares = StorageEditor.ResolveDevices(m, "add_spare_devices", StorageChange.Ids(r, "add_spare_devices"), group)
                .Concat(StorageEditor.ResolvePartitions(m, "add_spare_partitions", StorageChange.Ids(r, "add_spare_partitions"), group)).ToList();
            var remove = VolumeGroupsApi.Members(m, group, "remove_block_devices", [.. StorageChange.Ids(r, "remove_block_devices"), .. StorageChange.Ids(r, "remove_spare_devices")],
                "remove_partitions", [.. StorageChange.Ids(r, "remove_partitions"), .. StorageChange.Ids(r, "remove_spare_partitions")]);
            StorageEditor.UpdateRaid(m, group, r.String("name"), r.String("uuid"), addActive, addSpares, remove);
            return () => StorageJson.Raid(m, group);
        });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete RAID because the node is not Ready."), "delete_raid", x =>
        {
            StorageEditor.DeleteGroup(x.Model, Of(x.Model, r));
            return null;
        });
}
