using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>nodes/{system_id}/blockdevices/</c> and <c>…/blockdevices/{id}/</c> (maas-api.md §3.9).</summary>
internal static class BlockDevicesApi
{
    private const string NotReadyUpdate = "Cannot update block device because the machine is not Ready.";

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("BlockDevicesHandler", "nodes/{system_id}/blockdevices/", "Manage block devices on a machine.")
            .Read(ListAsync, "List block devices.\nList all block devices belonging to a machine.", ApiError.NotFound("The machine is not found."))
            .Create(CreateAsync, "Create a block device.\nCreate a physical block device (admin).",
                String("name", "Name of the block device.", required: true),
                String("model", "Model of the block device."),
                String("serial", "Serial number of the block device."),
                String("id_path", "Only used if model and serial cannot be provided."),
                String("size", "Size of the block device.", required: true),
                Int("block_size", "Block size of the block device.", required: true));

        api.Handler("BlockDeviceHandler", "nodes/{system_id}/blockdevices/{id}/", "Manage a block device on a machine.")
            .Read(ReadAsync, "Read a block device.", ApiError.NotFound("The machine or block device is not found."))
            .Update(UpdateAsync, "Update a block device.\nReady machines: every field; Deployed machines: name, model, serial and id_path of physical devices.",
                String("name", "Name of the block device."),
                String("model", "(Physical) Model of the block device."),
                String("serial", "(Physical) Serial number of the block device."),
                String("id_path", "(Physical) A fixed path of the device."),
                String("size", "Size of the block device (virtual: logical volumes only)."),
                Int("block_size", "(Physical) Block size of the block device."),
                String("uuid", "(Virtual) UUID of the block device."),
                ApiError.Conflict("The machine is not Ready."))
            .Delete(DeleteAsync, "Delete a block device.", ApiError.Conflict("The machine is not Ready."))
            .Post("add_tag", AddTagAsync, "Add a tag to a block device.", String("tag", "The tag being added.", required: true))
            .Post("remove_tag", RemoveTagAsync, "Remove a tag from a block device.", String("tag", "The tag being removed.", required: true))
            .Post("format", FormatAsync, "Format a block device with a filesystem.",
                String("fstype", "Type of filesystem.", required: true),
                String("uuid", "UUID of the filesystem."),
                String("label", "Label of the filesystem."))
            .Post("unformat", UnformatAsync, "Unformat a block device.")
            .Post("mount", MountAsync, "Mount the filesystem on a block device.",
                String("mount_point", "Path on the filesystem to mount.", required: true),
                String("mount_options", "Options to pass to mount(8)."))
            .Post("unmount", UnmountAsync, "Unmount the filesystem on a block device.")
            .Post("set_boot_disk", SetBootDiskAsync, "Set a block device as the boot disk for the machine.");
    }

    private static Task<ApiResult> ListAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.Devices.OrderBy(d => d.Id).Select(d => (JsonNode)StorageJson.Device(m, d))]));

    private static Task<ApiResult> ReadAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => StorageJson.Device(m, StorageChange.DeviceOf(m, r.Path("id"))));

    private static Task<ApiResult> CreateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create block device because the machine is not Ready."), "create_block_device", x =>
        {
            var size = StorageSizes.Parse("size", r.String("size")) ?? 0;
            var device = StorageEditor.CreatePhysical(x.Model, r.RequiredString("name"), size, r.Int("block_size") ?? 0, r.String("model"), r.String("serial"), r.String("id_path"));
            return () => StorageJson.Device(x.Model, device);
        });

    private static Task<ApiResult> UpdateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.ReadyOrDeployed(NotReadyUpdate), "update_block_device", x =>
        {
            var device = StorageChange.DeviceOf(x.Model, r.Path("id"));
            var deployed = x.Machine.Status == NodeStatus.DEPLOYED;
            if (device.IsVirtual)
            {
                if (deployed)
                    throw new ConflictException("Cannot update virtual block device because the machine is Deployed.");
                StorageEditor.UpdateVirtual(x.Model, device, r.String("name"), r.String("uuid"), StorageSizes.Parse("size", r.String("size")));
            }
            else
            {
                StorageEditor.UpdatePhysical(x.Model, device, deployed, r.String("name"), r.String("model"), r.String("serial"), r.String("id_path"), StorageSizes.Parse("size", r.String("size")), r.Int("block_size"));
            }

            return () => StorageJson.Device(x.Model, device);
        });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete block device because the machine is not Ready."), "delete_block_device", x =>
        {
            StorageEditor.DeleteDevice(x.Model, StorageChange.DeviceOf(x.Model, r.Path("id")));
            return null;
        });

    private static Task<ApiResult> AddTagAsync(ApiRequest r) => Tag(r, "add_tag", StorageEditor.AddTag);

    private static Task<ApiResult> RemoveTagAsync(ApiRequest r) => Tag(r, "remove_tag", StorageEditor.RemoveTag);

    private static Task<ApiResult> Tag(ApiRequest r, string action, Action<StorageDevice, string> apply) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready(NotReadyUpdate), action, x =>
        {
            var device = StorageChange.DeviceOf(x.Model, r.Path("id"));
            apply(device, r.RequiredString("tag"));
            return () => StorageJson.Device(x.Model, device);
        });

    private static Task<ApiResult> FormatAsync(ApiRequest r) => OnFilesystem(r, "format", (m, d) =>
        StorageEditor.Format(m, d, null, r.RequiredString("fstype"), r.String("uuid"), r.String("label")));

    private static Task<ApiResult> UnformatAsync(ApiRequest r) => OnFilesystem(r, "unformat", (m, d) =>
        StorageEditor.Unformat(m, m.FilesystemOnDevice(d.Id), "block device"));

    private static Task<ApiResult> MountAsync(ApiRequest r) => OnFilesystem(r, "mount", (m, d) =>
        StorageEditor.Mount(m, m.FilesystemOnDevice(d.Id), r.String("mount_point"), r.String("mount_options")));

    private static Task<ApiResult> UnmountAsync(ApiRequest r) => OnFilesystem(r, "unmount", (m, d) =>
        StorageEditor.Unmount(m.FilesystemOnDevice(d.Id), "block device"));

    private static Task<ApiResult> OnFilesystem(ApiRequest r, string operation, Action<StorageModel, StorageDevice> apply) =>
        StorageChange.RunAsync(r, NodePermission.Edit, StateRule.ReadyOrAllocated(operation, "block device", "machine"), operation, x =>
        {
            var device = StorageChange.DeviceOf(x.Model, r.Path("id"));
            apply(x.Model, device);
            return () => StorageJson.Device(x.Model, device);
        });

    private static async Task<ApiResult> SetBootDiskAsync(ApiRequest r)
    {
        await StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot set as boot disk because the machine is not Ready."), "set_boot_disk", x =>
        {
            StorageEditor.SetBootDisk(x.Model, StorageChange.DeviceOf(x.Model, r.Path("id")));
            return null;
        });
        return ApiResult.Ok;
    }
}
