using System.Globalization;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Api.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;

namespace Anvil.Region.Tests.Api.Storage;

/// <summary>Machines with disks for the storage API tests; disks are written as commissioning records them.</summary>
internal sealed class StorageSetup(RegionTestHost host)
{
    public const long GB = 1_000_000_000;

    public MachineSetup Machines { get; } = new(host);

    public static string DevicesPath(string systemId) => $"nodes/{systemId}/blockdevices/";

    public static string Device(string systemId, long id) => $"nodes/{systemId}/blockdevices/{id}/";

    public static string Partitions(string systemId, long deviceId) => $"nodes/{systemId}/blockdevices/{deviceId}/partitions/";

    public static string Partition(string systemId, long deviceId, long id) => $"nodes/{systemId}/blockdevices/{deviceId}/partition/{id}";

    public static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Ready machine with disks of the given sizes (sda, sdb, …); returns its system_id and disk ids.</summary>
    public async Task<(string SystemId, long[] Disks)> ReadyMachineAsync(TestUser admin, params long[] sizes)
    {
        var systemId = await Machines.CreateReadyAsync(admin);
        var disks = new List<long>();
        for (var i = 0; i < sizes.Length; i++)
            disks.Add(await Machines.AddDiskAsync(systemId, $"sd{(char)('a' + i)}", sizes[i]));
        return (systemId, [.. disks]);
    }

    public Task SetStatusAsync(string systemId, NodeStatus status, long? ownerId = null) => Machines.SetStateAsync(systemId, status, ownerId);

    public Task SetUefiAsync(string systemId) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("UPDATE node SET bios_boot_method = 'uefi' WHERE system_id = @systemId", new { systemId }, tx)),
            CancellationToken.None);

    public Task TagDiskAsync(long diskId, params string[] tags) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("UPDATE blockdevice SET tags = @tags WHERE id = @diskId", new { diskId, tags }, tx)),
            CancellationToken.None);

    public static async Task<JsonElement> MachineAsync(TestUser user, string systemId) =>
        await (await user.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();

    public static async Task<JsonElement> CreatePartitionAsync(TestUser user, string systemId, long diskId, string? size = null)
    {
        var response = await user.Client.PostAsync(Partitions(systemId, diskId), size is null ? [] : [("size", size)]);
        return await response.ShouldBeJsonAsync();
    }

    public static async Task<JsonElement> SetLayoutAsync(TestUser admin, string systemId, string layout, params (string Key, string Value)[] fields) =>
        await (await admin.Client.PostOpAsync($"machines/{systemId}/", "set_storage_layout", [("storage_layout", layout), .. fields])).ShouldBeJsonAsync();

    /// <summary>Sum of partition sizes on a disk, straight from the database.</summary>
    public Task<long> PartitionedBytesAsync(long diskId) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT coalesce(sum(size), 0)::bigint FROM partition WHERE blockdevice_id = @diskId", new { diskId }), CancellationToken.None);

    public static JsonElement ById(JsonElement array, long id) => array.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == id);

    public static void ShouldBeMountedAt(JsonElement volume, string fstype, string mountPoint)
    {
        var fs = volume.GetProperty("filesystem");
        fs.GetProperty("fstype").GetString().ShouldBe(fstype);
        fs.GetProperty("mount_point").GetString().ShouldBe(mountPoint);
    }
}
