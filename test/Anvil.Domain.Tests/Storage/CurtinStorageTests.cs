using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Storage;

public sealed class CurtinStorageTests
{
    private const long GB = StorageModels.GB;

    private static JsonArray Layout(StorageModel model, string layout)
    {
        StorageLayouts.Apply(model, new StorageLayoutOptions { Layout = layout });
        return CurtinStorage.Render(model);
    }

    private static JsonObject Entry(JsonArray config, string id) => config.OfType<JsonObject>().Single(e => e["id"]!.GetValue<string>() == id);

    private static List<string> Ids(JsonArray config) => [.. config.Select(e => e!["id"]!.GetValue<string>())];

    [Fact]
    public void Flat_on_BIOS_renders_disk_bios_grub_root_format_and_mount_in_order()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [20 * GB]);

        var config = Layout(model, "flat");

        Ids(config).ShouldBe(["sda", "sda-part1", "sda-part2", "sda-part2_format", "sda-part2_mount"]);
        var disk = Entry(config, "sda");
        disk["type"]!.GetValue<string>().ShouldBe("disk");
        disk["ptable"]!.GetValue<string>().ShouldBe("gpt");
        disk["serial"]!.GetValue<string>().ShouldBe("serial-0");
        disk["model"]!.GetValue<string>().ShouldBe("QEMU HARDDISK");
        disk["grub_device"]!.GetValue<bool>().ShouldBeTrue();
        disk["wipe"]!.GetValue<string>().ShouldBe("superblock");
        var grub = Entry(config, "sda-part1");
        grub["flag"]!.GetValue<string>().ShouldBe("bios_grub");
        grub["size"]!.GetValue<string>().ShouldBe("1048576B");
        grub["offset"]!.GetValue<string>().ShouldBe("4194304B");
        grub["number"]!.GetValue<int>().ShouldBe(1);
        var root = Entry(config, "sda-part2");
        root["device"]!.GetValue<string>().ShouldBe("sda");
        root["size"]!.GetValue<string>().ShouldBe($"{model.Partitions.Single().Size}B");
        root.ContainsKey("offset").ShouldBeFalse();
        var format = Entry(config, "sda-part2_format");
        (format["fstype"]!.GetValue<string>(), format["label"]!.GetValue<string>(), format["volume"]!.GetValue<string>()).ShouldBe(("ext4", "root", "sda-part2"));
        var mount = Entry(config, "sda-part2_mount");
        (mount["device"]!.GetValue<string>(), mount["path"]!.GetValue<string>()).ShouldBe(("sda-part2_format", "/"));
    }

    [Fact]
    public void Flat_on_UEFI_renders_the_EFI_partition_first_with_the_boot_flag_and_mounts_parents_first()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB]);

        var config = Layout(model, "flat");

        Ids(config).ShouldBe(["sda", "sda-part1", "sda-part2", "sda-part1_format", "sda-part2_format", "sda-part2_mount", "sda-part1_mount"]);
        var efi = Entry(config, "sda-part1");
        efi["flag"]!.GetValue<string>().ShouldBe("boot");
        efi["offset"]!.GetValue<string>().ShouldBe("4194304B");
        efi["size"]!.GetValue<string>().ShouldBe("536870912B");
        Entry(config, "sda-part1_format")["fstype"]!.GetValue<string>().ShouldBe("fat32");
        Entry(config, "sda-part1_mount")["path"]!.GetValue<string>().ShouldBe("/boot/efi");
    }

    [Fact]
    public void Lvm_renders_the_volume_group_over_the_partition_and_the_logical_volume()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB]);

        var config = Layout(model, "lvm");

        Ids(config).ShouldBe(["sda", "sda-part1", "sda-part2", "vgroot", "vgroot-lvroot", "sda-part1_format", "vgroot-lvroot_format", "vgroot-lvroot_mount", "sda-part1_mount"]);
        var vg = Entry(config, "vgroot");
        vg["type"]!.GetValue<string>().ShouldBe("lvm_volgroup");
        vg["devices"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["sda-part2"]);
        var lv = Entry(config, "vgroot-lvroot");
        (lv["type"]!.GetValue<string>(), lv["name"]!.GetValue<string>(), lv["volgroup"]!.GetValue<string>()).ShouldBe(("lvm_partition", "lvroot", "vgroot"));
        lv["size"]!.GetValue<string>().ShouldBe($"{model.Devices.Single(d => d.IsVirtual).Size}B");
    }

    [Fact]
    public void Bcache_renders_the_cache_disk_and_the_bcache_after_both_members()
    {
        var model = StorageModels.Node(uefi: false, diskSizes: [100 * GB, 20 * GB]);
        model.Disk(1).Tags = ["ssd"];

        var config = Layout(model, "bcache");

        Ids(config).ShouldBe(["sda", "sda-part1", "sda-part2", "sdb", "sdb-part1", "bcache0", "bcache0_format", "bcache0_mount"]);
        Entry(config, "sdb").ContainsKey("grub_device").ShouldBeFalse();
        Entry(config, "sdb-part1")["offset"]!.GetValue<string>().ShouldBe("4194304B");
        var bcache = Entry(config, "bcache0");
        (bcache["type"]!.GetValue<string>(), bcache["backing_device"]!.GetValue<string>(), bcache["cache_device"]!.GetValue<string>(), bcache["cache_mode"]!.GetValue<string>())
            .ShouldBe(("bcache", "sda-part2", "sdb-part1", "writethrough"));
    }

    [Fact]
    public void Root_on_a_RAID_1_of_partitions_renders_the_raid_and_puts_grub_on_every_member_disk()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB, 20 * GB, 20 * GB]);
        var members = model.PhysicalDevices.Take(2).Select(d => StorageVolume.Of(StorageEditor.CreatePartition(model, d, 10 * GB, null, false))).ToList();
        var spare = StorageVolume.Of(model.Disk(2));
        var raid = StorageEditor.CreateRaid(model, "raid-1", null, null, members, [spare]);
        var md = model.VirtualDevicesOf(raid).Single();
        StorageEditor.Mount(model, StorageEditor.Format(model, md, null, "ext4", null, "root"), "/", null);

        var config = CurtinStorage.Render(model);

        Ids(config).ShouldBe(["sda", "sda-part1", "sdb", "sdb-part1", "sdc", "md0", "md0_format", "md0_mount"]);
        var entry = Entry(config, "md0");
        entry["type"]!.GetValue<string>().ShouldBe("raid");
        entry["raidlevel"]!.GetValue<int>().ShouldBe(1);
        entry["devices"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["sda-part1", "sdb-part1"]);
        entry["spare_devices"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["sdc"]);
        Entry(config, "sda")["grub_device"]!.GetValue<bool>().ShouldBeTrue();
        Entry(config, "sdb")["grub_device"]!.GetValue<bool>().ShouldBeTrue();
        Entry(config, "sdc").ContainsKey("grub_device").ShouldBeFalse();
        Entry(config, "sdc").ContainsKey("ptable").ShouldBeFalse();
    }

    [Fact]
    public void A_disk_without_serial_is_named_by_its_id_path()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB]);
        model.Disk(0).Serial = "";
        model.Disk(0).IdPath = "/dev/disk/by-path/pci-0000:00:05.0";

        var disk = Entry(Layout(model, "flat"), "sda");

        disk["path"]!.GetValue<string>().ShouldBe("/dev/disk/by-path/pci-0000:00:05.0");
        disk.ContainsKey("serial").ShouldBeFalse();
    }

    [Fact]
    public void Special_filesystems_and_swap_are_mounted_after_the_real_ones()
    {
        var model = StorageModels.Node(uefi: true, diskSizes: [20 * GB, 20 * GB]);
        StorageLayouts.Apply(model, new StorageLayoutOptions { Layout = "flat" });
        var swap = StorageEditor.Format(model, model.Disk(1), null, "swap", null, null);
        StorageEditor.Mount(model, swap, null, null);
        model.Filesystems.Add(new StorageFilesystem { Id = model.NewId(), FsType = "tmpfs", MountPoint = "/tmp", MountOptions = "size=1G" });

        var config = CurtinStorage.Render(model);

        var mounts = config.OfType<JsonObject>().Where(e => e["type"]!.GetValue<string>() == "mount").Select(e => e["path"]!.GetValue<string>()).ToList();
        mounts.ShouldBe(["/", "/tmp", "/boot/efi", "none"]);
        var tmpfs = config.OfType<JsonObject>().Single(e => e["path"]?.GetValue<string>() == "/tmp");
        (tmpfs["fstype"]!.GetValue<string>(), tmpfs["spec"]!.GetValue<string>(), tmpfs["options"]!.GetValue<string>()).ShouldBe(("tmpfs", "tmpfs", "size=1G"));
    }

    [Fact]
    public void Nothing_mounted_at_root_is_a_validation_error()
    {
        var model = StorageModels.Node(diskSizes: [20 * GB]);
        StorageLayouts.Apply(model, new StorageLayoutOptions { Layout = "blank" });

        Should.Throw<ValidationException>(() => CurtinStorage.Render(model)).FieldErrors.Keys.ShouldBe(["storage"]);
    }
}
