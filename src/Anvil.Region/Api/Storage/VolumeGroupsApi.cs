using System.Text.Json.Nodes;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>nodes/{system_id}/volume-groups/</c> and <c>…/volume-group/{id}/</c> (also <c>volume-groups/{id}/</c>).</summary>
internal static class VolumeGroupsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("VolumeGroupsHandler", "nodes/{system_id}/volume-groups/", "Manage volume groups on a machine.")
            .Read(ListAsync, "List all volume groups belonging to a machine.", ApiError.NotFound("The machine is not found."))
            .Create(CreateAsync, "Create a volume group.",
                String("name", "Name of the volume group.", required: true),
                String("uuid", "UUID of the volume group."),
                Strings("block_devices", "Block devices to add to the volume group."),
                Strings("partitions", "Partitions to add to the volume group."),
                ApiError.Conflict("The machine is not Ready."));

        Item(api.Handler("VolumeGroupHandler", "nodes/{system_id}/volume-group/{id}/", "Manage a volume group on a machine."));
        Item(api.Handler("VolumeGroupsItemHandler", "nodes/{system_id}/volume-groups/{id}/", "Manage a volume group on a machine.").Hidden());
    }

    private static void Item(ApiHandlerBuilder handler) => handler
        .Read(ReadAsync, "Read a volume group.", ApiError.NotFound("The machine or volume group is not found."))
        .Update(UpdateAsync, "Update a volume group.",
            String("name", "Name of the volume group."),
            String("uuid", "UUID of the volume group."),
            Strings("add_block_devices", "Block devices to add."),
            Strings("remove_block_devices", "Block devices to remove."),
            Strings("add_partitions", "Partitions to add."),
            Strings("remove_partitions", "Partitions to remove."))
        .Delete(DeleteAsync, "Delete a volume group.")
        .Post("create_logical_volume", CreateLogicalVolumeAsync, "Create a logical volume in the volume group.",
            String("name", "Name of the logical volume.", required: true),
            String("uuid", "UUID of the logical volume."),
            String("size", "Size of the logical volume (all free space when omitted)."))
        .Post("delete_logical_volume", DeleteLogicalVolumeAsync, "Delete a logical volume from the volume group.",
            Int("id", "Id of the logical volume.", required: true));

    private static StorageGroup Of(StorageModel m, ApiRequest r) => StorageChange.GroupOf(m, r.Path("id"), g => g.IsLvm, "VolumeGroup");

    private static Task<ApiResult> ListAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.Groups.Where(g => g.IsLvm).OrderBy(g => g.Id).Select(g => (JsonNode)StorageJson.VolumeGroup(m, g))]));

    private static Task<ApiResult> ReadAsync(ApiRequest r) => StorageChange.ReadAsync(r, m => StorageJson.VolumeGroup(m, Of(m, r)));

    private static Task<ApiResult> CreateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create volume group because the node is not Ready."), "create_volume_group", x =>
        {
            var volumes = StorageEditor.ResolveDevices(x.Model, "block_devices", StorageChange.Ids(r, "block_devices"))
                .Concat(StorageEditor.ResolvePartitions(x.Model, "partitions", StorageChange.Ids(r, "partitions"))).ToList();
            var group = StorageEditor.CreateVolumeGroup(x.Model, r.RequiredString("name"), r.String("uuid"), volumes);
            return () => StorageJson.VolumeGroup(x.Model, group);
        });

    private static Task<ApiResult> UpdateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot update volume group because the node is not Ready."), "update_volume_group", x =>
        {
            var group = Of(x.Model, r);
            var add = StorageEditor.ResolveDevices(x.Model, "add_block_devices", StorageChange.Ids(r, "add_block_devices"), group)
                .Concat(StorageEditor.ResolvePartitions(x.Model, "add_partitions", StorageChange.Ids(r, "add_partitions"), group)).ToList();
            var remove = Members(x.Model, group, "remove_block_devices", StorageChange.Ids(r, "remove_block_devices"), "remove_partitions", StorageChange.Ids(r, "remove_partitions"));
            StorageEditor.UpdateVolumeGroup(x.Model, group, r.String("name"), r.String("uuid"), add, remove);
            return () => StorageJson.VolumeGroup(x.Model, group);
        });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete volume group because the node is not Ready."), "delete_volume_group", x =>
        {
            StorageEditor.DeleteVolumeGroup(x.Model, Of(x.Model, r));
            return null;
        });

    private static Task<ApiResult> CreateLogicalVolumeAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create logical volume because the node is not Ready."), "create_logical_volume", x =>
        {
            var group = Of(x.Model, r);
            var lv = StorageEditor.CreateLogicalVolume(x.Model, group, r.RequiredString("name"), r.String("uuid"), StorageSizes.Parse("size", r.String("size"), x.Model.VolumeGroupFree(group)));
            return () => StorageJson.Device(x.Model, lv);
        });

    private static Task<ApiResult> DeleteLogicalVolumeAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete logical volume because the node is not Ready."), "delete_logical_volume", x =>
        {
            var group = Of(x.Model, r);
            StorageEditor.DeleteLogicalVolume(x.Model, group, r.Int("id")!.Value);
            return () => StorageJson.VolumeGroup(x.Model, group);
        });

    /// <summary>Current members of <paramref name="group"/> named by device and partition ids; anything else is a field error.</summary>
    internal static List<StorageVolume> Members(StorageModel m, StorageGroup group, string deviceField, IReadOnlyList<string> deviceIds, string partitionField, IReadOnlyList<string> partitionIds)
    {
        var members = m.Members(group).ToList();
        var found = new List<StorageVolume>();
        foreach (var id in deviceIds)
        {
            var member = members.FirstOrDefault(f => f.DeviceId?.ToString(System.Globalization.CultureInfo.InvariantCulture) == id)
                ?? throw StorageEditor.Invalid(deviceField, StorageEditor.InvalidChoice(id));
            found.Add(StorageVolume.Of(m.Device(member.DeviceId!.Value)));
        }

        foreach (var id in partitionIds)
        {
            var member = members.FirstOrDefault(f => f.PartitionId?.ToString(System.Globalization.CultureInfo.InvariantCulture) == id)
                ?? throw StorageEditor.Invalid(partitionField, StorageEditor.InvalidChoice(id));
            found.Add(StorageVolume.Of(m.FindPartition(member.PartitionId!.Value)!));
        }

        return found;
    }
}
