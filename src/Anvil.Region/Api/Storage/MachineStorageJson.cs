using System.Text.Json;
using Anvil.Domain.Storage;

namespace Anvil.Region.Api.Storage;

/// <summary>The storage fields of the machine object (maas-api.md §4), written into <see cref="Machines.MachineJson"/>'s writer.</summary>
internal static class MachineStorageJson
{
    /// <summary><c>cache_sets</c>, <c>bcaches</c>, <c>volume_groups</c>, <c>raids</c> (stubs), <c>special_filesystems</c>, <c>virtualblockdevice_set</c>.</summary>
    public static void WriteGroups(Utf8JsonWriter w, StorageModel m)
    {
        w.WriteStartArray("cache_sets"u8);
        foreach (var cacheSet in m.CacheSets.OrderBy(s => s.Id))
            StorageJson.Stub(m, cacheSet.Id, "bcache-cache-set").WriteTo(w);
        w.WriteEndArray();
        WriteStubs(w, "bcaches"u8, m, m.Groups.Where(g => g.IsBcache), "bcache");
        WriteStubs(w, "volume_groups"u8, m, m.Groups.Where(g => g.IsLvm), "volume-group");
        WriteStubs(w, "raids"u8, m, m.Groups.Where(g => g.IsRaid), "raid");
        w.WriteStartArray("special_filesystems"u8);
        foreach (var fs in m.SpecialFilesystems)
            StorageJson.Special(fs).WriteTo(w);
        w.WriteEndArray();
        w.WriteStartArray("virtualblockdevice_set"u8);
        foreach (var device in m.Devices.Where(d => d.IsVirtual).OrderBy(d => d.Id))
            StorageJson.Device(m, device).WriteTo(w);
        w.WriteEndArray();
    }

    /// <summary><c>boot_disk</c>, <c>blockdevice_set</c>, <c>physicalblockdevice_set</c>.</summary>
    public static void WriteDevices(Utf8JsonWriter w, StorageModel m)
    {
        w.WritePropertyName("boot_disk"u8);
        if (m.BootDisk is { } boot)
            StorageJson.Device(m, boot).WriteTo(w);
        else
            w.WriteNullValue();
        w.WriteStartArray("blockdevice_set"u8);
        foreach (var device in m.Devices.OrderBy(d => d.Id))
            StorageJson.Device(m, device).WriteTo(w);
        w.WriteEndArray();
        w.WriteStartArray("physicalblockdevice_set"u8);
        foreach (var device in m.PhysicalDevices)
            StorageJson.Device(m, device).WriteTo(w);
        w.WriteEndArray();
    }

    private static void WriteStubs(Utf8JsonWriter w, ReadOnlySpan<byte> name, StorageModel m, IEnumerable<StorageGroup> groups, string path)
    {
        w.WriteStartArray(name);
        foreach (var group in groups.OrderBy(g => g.Id))
            StorageJson.Stub(m, group.Id, path).WriteTo(w);
        w.WriteEndArray();
    }
}
