using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Storage;

/// <summary><c>POST machines/{system_id}/?op=set_storage_layout</c> (maas-api.md §14.1), declared on MachineHandler.</summary>
internal static class StorageLayoutApi
{
    public static ApiSpecItem[] Params() =>
    [
        String("storage_layout", "flat, lvm, bcache or blank (vmfs6, vmfs7 and custom are refused).", required: true),
        String("boot_size", "Size of the boot partition (bytes, K/M/G/T suffix, or NN%)."),
        String("root_size", "Size of the root partition."),
        String("root_device", "Block device id for the root partition (default the boot disk)."),
        String("vg_name", "lvm: name of the volume group (default vgroot)."),
        String("lv_name", "lvm: name of the logical volume (default lvroot)."),
        String("lv_size", "lvm: size of the logical volume (default all)."),
        String("cache_device", "bcache: block device id of the cache (default the smallest other SSD)."),
        String("cache_mode", "bcache: writeback, writethrough (default) or writearound."),
        String("cache_size", "bcache: size of the cache partition (default all)."),
        Bool("cache_no_part", "bcache: use the whole cache device instead of a partition."),
        ApiError.Conflict("The machine is not Ready."),
    ];

    public static async Task<ApiResult> SetStorageLayoutAsync(ApiRequest r)
    {
        var options = new StorageLayoutOptions
        {
            Layout = r.RequiredString("storage_layout"),
            BootSize = r.String("boot_size"),
            RootSize = r.String("root_size"),
            RootDevice = r.String("root_device"),
            VgName = r.String("vg_name"),
            LvName = r.String("lv_name"),
            LvSize = r.String("lv_size"),
            CacheDevice = r.String("cache_device"),
            CacheMode = r.String("cache_mode"),
            CacheSize = r.String("cache_size"),
            CacheNoPart = r.Bool("cache_no_part", false),
        };
        if (!StorageLayouts.Names.Contains(options.Layout, StringComparer.Ordinal))
            throw new ValidationException("storage_layout", StorageEditor.InvalidChoice(options.Layout));
        await StorageChange.RunAsync(r, NodePermission.Admin, StateRule.Ready("Cannot change the storage layout on a machine that is not Ready."), "set_storage_layout", x =>
        {
            try
            {
                StorageLayouts.Apply(x.Model, options);
            }
            catch (ValidationException e)
            {
                throw new BadRequestException($"Failed to configure storage layout '{options.Layout}': {e.Message}");
            }

            return null;
        }, _ => $"Set storage layout '{options.Layout}'.");

        // MAAS answers with the machine.
        var machine = await r.Service<MachineStore>().GetAsync(r.Path("system_id"), r.Aborted) ?? throw StorageChange.NodeNotFound();
        return ApiResult.JsonUtf8(MachineJson.One(machine));
    }
}
