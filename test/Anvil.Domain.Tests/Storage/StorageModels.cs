using Anvil.Domain.Storage;

namespace Anvil.Domain.Tests.Storage;

/// <summary>Storage models for tests: a node with physical disks, ids as the database would give them.</summary>
internal static class StorageModels
{
    public const long GB = 1_000_000_000;

    public static StorageModel Node(bool uefi = false, string architecture = "amd64/generic", params long[] diskSizes)
    {
        var model = new StorageModel { NodeId = 1, SystemId = "abc123", Architecture = architecture, Uefi = uefi };
        for (var i = 0; i < diskSizes.Length; i++)
        {
            model.Devices.Add(new StorageDevice
            {
                Id = 10 + i,
                Name = $"sd{(char)('a' + i)}",
                Size = diskSizes[i],
                Model = "QEMU HARDDISK",
                Serial = $"serial-{i}",
                Tags = ["rotary"],
            });
        }

        return model;
    }

    public static StorageDevice Disk(this StorageModel model, int index) => model.PhysicalDevices.ElementAt(index);
}
