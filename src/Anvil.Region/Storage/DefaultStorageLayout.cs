using Anvil.Data.Config;
using Anvil.Data.Storage;
using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Npgsql;

namespace Anvil.Region.Storage;

/// <summary>
/// The layout commissioning leaves a machine with: the <c>default_storage_layout</c> config
/// (flat unless set), applied to the disks commissioning just recorded, as MAAS does at the end
/// of commissioning.
/// </summary>
public static class DefaultStorageLayout
{
    /// <summary>
    /// Applies the default layout to <paramref name="nodeId"/> inside the caller's transaction
    /// (the node row gets locked). Returns false, changing nothing, when it cannot apply: no
    /// disk, disks too small, or a default that needs more (custom, vmfs).
    /// </summary>
    public static async Task<bool> ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct)
    {
        var configured = (await ConfigStore.GetAsync(c, tx, "default_storage_layout", ct))?.GetValue<string>();
        var model = await StorageReader.LoadAsync(c, tx, nodeId, lockNode: true, ct);
        if (model is null)
            return false;
        try
        {
            StorageLayouts.Apply(model, new StorageLayoutOptions { Layout = string.IsNullOrEmpty(configured) ? StorageLayouts.Flat : configured });
        }
        catch (AnvilException)
        {
            return false;
        }

        await StorageWriter.SaveAsync(c, tx, model, ct);
        return true;
    }
}
