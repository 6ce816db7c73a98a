using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>nodes/{system_id}/blockdevices/{device_id}/partitions/</c> and <c>…/partition/{id}</c> (no trailing slash, as MAAS).</summary>
internal static class PartitionsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("PartitionsHandler", "nodes/{system_id}/blockdevices/{device_id}/partitions/", "Manage partitions on a block device.")
            .Read(ListAsync, "List partitions.", ApiError.NotFound("The machine or device is not found."))
            .Create(CreateAsync, "Create a partition.\nCreate a partition on a block device; without a size it uses all the free space.",
                String("size", "The size of the partition in bytes (K/M/G/T suffixes accepted)."),
                String("uuid", "UUID for the partition (GPT only)."),
                Bool("bootable", "Whether the partition is marked bootable."),
                ApiError.Conflict("The machine is not Ready."));

        Item(api.Handler("PartitionHandler", "nodes/{system_id}/blockdevices/{device_id}/partition/{id}", "Manage a partition on a block device."));
        Item(api.Handler("PartitionsItemHandler", "nodes/{system_id}/blockdevices/{device_id}/partitions/{id}", "Manage a partition on a block device.").Hidden());
    }

    private static void Item(ApiHandlerBuilder handler) => handler
        .Read(ReadAsync, "Read a partition.", ApiError.NotFound("The machine, device or partition is not found."))
        .Delete(DeleteAsync, "Delete a partition.", ApiError.Conflict("The machine is not Ready."))
        .Post("format", FormatAsync, "Format a partition.",
            String("fstype", "Type of filesystem.", required: true),
            String("uuid", "The UUID for the filesystem."),
            String("label", "The label for the filesystem."))
        .Post("unformat", UnformatAsync, "Unformat a partition.")
        .Post("mount", MountAsync, "Mount a filesystem on a partition.",
            String("mount_point", "Path on the filesystem to mount.", required: true),
            String("mount_options", "Options to pass to mount(8)."))
        .Post("unmount", UnmountAsync, "Unmount a filesystem on a partition.")
        .Post("add_tag", AddTagAsync, "Add a tag to a partition.", String("tag", "The tag being added.", required: true))
        .Post("remove_tag", RemoveTagAsync, "Remove a tag from a partition.", String("tag", "The tag being removed.", required: true));

    private static StoragePartition PartitionOf(StorageModel m, ApiRequest r)
    {
        var device = m.DeviceOr404(r.Path("device_id"));
        return m.PartitionsOf(device.Id).FirstOrDefault(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == r.Path("id"))
            ?? throw new NotFoundException("No Partition matches the given query.");
    }

    private static Task<ApiResult> ListAsync(ApiRequest r) =>
        StorageChange.ReadAsync(r, m => new JsonArray([.. m.PartitionsOf(m.DeviceOr404(r.Path("device_id")).Id).Select(p => (JsonNode)StorageJson.Partition(m, p))]));

    private static Task<ApiResult> ReadAsync(ApiRequest r) => StorageChange.ReadAsync(r, m => StorageJson.Partition(m, PartitionOf(m, r)));

    private static Task<ApiResult> CreateAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot create partition because the node is not Ready."), "create_partition", x =>
        {
            var device = x.Model.DeviceOr404(r.Path("device_id"));
            var partition = StorageEditor.CreatePartition(x.Model, device, StorageSizes.Parse("size", r.String("size")), r.String("uuid"), r.Bool("bootable", false));
            return () => StorageJson.Partition(x.Model, partition);
        });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) =>
        StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot delete block device because the node is not Ready."), "delete_partition", x =>
        {
            StorageEditor.DeletePartition(x.Model, PartitionOf(x.Model, r));
            return null;
        });

    private static Task<ApiResult> FormatAsync(ApiRequest r) => OnFilesystem(r, "format", (m, p) =>
        StorageEditor.Format(m, null, p, r.RequiredString("fstype"), r.String("uuid"), r.String("label")));

    private static Task<ApiResult> UnformatAsync(ApiRequest r) => OnFilesystem(r, "unformat", (m, p) =>
        StorageEditor.Unformat(m, m.FilesystemOnPartition(p.Id), "partition"));

    private static Task<ApiResult> MountAsync(ApiRequest r) => OnFilesystem(r, "mount", (m, p) =>
        StorageEditor.Mount(m, m.FilesystemOnPartition(p.Id), r.String("mount_point"), r.String("mount_options")));

    private static Task<ApiResult> UnmountAsync(ApiRequest r) => OnFilesystem(r, "unmount", (m, p) =>
        StorageEditor.Unmount(m.FilesystemOnPartition(p.Id), "partition"));

    private static Task<ApiResult> AddTagAsync(ApiRequest r) => OnPartition(r, "add_tag", NodePermission.Admin, StateRule.Ready("Cannot update partition because the node is not Ready."), (_, p) =>
    {
        var tag = r.RequiredString("tag");
        if (!p.Tags.Contains(tag, StringComparer.Ordinal))
            p.Tags.Add(tag);
    });

    private static Task<ApiResult> RemoveTagAsync(ApiRequest r) => OnPartition(r, "remove_tag", NodePermission.Admin, StateRule.Ready("Cannot update partition because the node is not Ready."), (_, p) =>
        p.Tags.Remove(r.RequiredString("tag")));

    private static Task<ApiResult> OnFilesystem(ApiRequest r, string operation, Action<StorageModel, StoragePartition> apply) =>
        OnPartition(r, operation, NodePermission.Edit, StateRule.ReadyOrAllocated(operation, "partition", "node"), apply);

    private static Task<ApiResult> OnPartition(ApiRequest r, string action, NodePermission permission, StateRule rule, Action<StorageModel, StoragePartition> apply) =>
        StorageChange.RunAsync(r, permission, rule, action, x =>
        {
            var partition = PartitionOf(x.Model, r);
            apply(x.Model, partition);
            return () => StorageJson.Partition(x.Model, partition);
        });
}
