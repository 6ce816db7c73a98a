using System.Text;
using Anvil.Domain.Commissioning;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

public sealed class MachineResourcesReaderTests
{
    [Fact]
    public void Qemu_guest_capture_gives_its_cpu_memory_firmware_disks_nics_and_devices()
    {
        var r = MachineResourcesReader.Parse(Captures.Bytes(Captures.QemuResources));

        r.Architecture.ShouldBe("amd64");
        r.IsVirtual.ShouldBeTrue();
        r.Cpu.Count.ShouldBe(2);
        r.Cpu.Model.ShouldBe("QEMU Virtual CPU version 2.5+");
        r.Cpu.SpeedMhz.ShouldBeGreaterThan(0);
        r.MemoryBytes.ShouldBe(2048L * 1024 * 1024);
        r.Dmi["system_vendor"].ShouldBe("QEMU");
        r.Dmi["system_serial"].ShouldBe("ANVIL-SN-0001");
        r.Dmi["mainboard_product"].ShouldBe("LabBoard");
        r.Dmi["mainboard_firmware_vendor"].ShouldBe("SeaBIOS");
        r.Dmi.ContainsKey("system_sku").ShouldBeFalse();
        r.Disks.Select(d => (d.Name, d.Serial, d.Size, d.Rotational)).ShouldBe(
            [("sda", "ANVILSATA02", 8L << 30, false), ("vda", "ANVILDISK01", 20L << 30, true)]);
        r.Disks[0].Model.ShouldBe("QEMU HARDDISK");
        r.Nics.Select(n => (n.Name, n.Mac, n.Driver, n.PciAddress)).ShouldBe(
            [("eth0", "52:54:00:a1:00:01", "e1000", "0000:00:03.0"), ("eth1", "52:54:00:a1:00:02", "virtio_net", "0000:00:04.0")]);
        r.PciDevices.ShouldContain(p => p.VendorId == "8086" && p.ProductId == "100e" && p.Driver == "e1000" && p.Class == "020000");
        r.UsbDevices.ShouldContain(u => u.VendorId == "0627" && u.ProductName == "QEMU USB Tablet");
    }

    [Fact]
    public void Development_vm_capture_without_dmi_still_gives_cpu_memory_disk_and_nic()
    {
        var r = MachineResourcesReader.Parse(Captures.Bytes(Captures.HostResources));

        r.Cpu.Count.ShouldBeGreaterThan(0);
        r.MemoryBytes.ShouldBeGreaterThan(0);
        r.Dmi.ShouldBeEmpty();
        r.Disks.ShouldNotBeEmpty();
        r.Nics.ShouldNotBeEmpty();
    }

    [Fact]
    public void Stderr_lines_around_the_document_are_ignored()
    {
        var combined = Encoding.UTF8.GetBytes("lsblk: /dev/sr0: not a block device\n")
            .Concat(Captures.Bytes(Captures.QemuResources)).Concat("done\n"u8.ToArray()).ToArray();

        MachineResourcesReader.Parse(combined).Cpu.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("", "no JSON object")]
    [InlineData("Segmentation fault", "no JSON object")]
    [InlineData("{\"format\":\"lxd\",\"version\":1}", "not an anvil-resources document")]
    [InlineData("{\"format\":\"anvil-resources\",\"version\":2}", "version 1")]
    [InlineData("{\"format\":\"anvil-resources\",\"version\":1,\"architecture\":\"amd64\"}", "\"cpu\" section is missing")]
    [InlineData("{\"format\":\"anvil-resources\",\"version\":1,\"architecture\":\"amd64\",\"cpu\":{\"count\":0},\"memory\":{\"total_bytes\":1}}", "CPU count")]
    [InlineData("{\"format\":\"anvil-resources\",\"version\":\"one\"}", "wrong type")]
    [InlineData("{\"format\":\"anvil-resources\",\"version\":1,\"architecture\":\"amd64\",\"cpu\":{\"count\":1},\"memory\":{\"total_bytes\":1},\"dmi\":{},\"storage\":[{\"name\":\"../etc\",\"size\":1}],\"network\":[],\"pci\":[],\"usb\":[]}", "malformed name")]
    public void Unusable_output_is_refused_with_the_reason(string output, string reason)
    {
        var e = Should.Throw<CommissioningOutputException>(() => MachineResourcesReader.Parse(Encoding.UTF8.GetBytes(output)));

        e.ScriptName.ShouldBe("20-maas-03-machine-resources");
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void Every_truncation_of_a_capture_is_refused_not_half_read()
    {
        var full = Captures.Bytes(Captures.QemuResources);
        for (var length = 0; length < full.Length - 2; length += 97)
        {
            Should.Throw<CommissioningOutputException>(() => MachineResourcesReader.Parse(full.AsSpan(0, length)), $"length {length}");
        }
    }

    [Fact]
    public void Nics_without_a_usable_mac_are_left_out()
    {
        var json = """
            {"format":"anvil-resources","version":1,"architecture":"arm64","cpu":{"count":4},"memory":{"total_bytes":4096},"dmi":{},
             "storage":[],"pci":[],"usb":[],
             "network":[{"name":"ib0","mac":"80:00:02:08:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01"},
                        {"name":"eth0","mac":"00:00:00:00:00:00"},{"name":"eth1","mac":"AA:BB:CC:00:11:22"}]}
            """;

        MachineResourcesReader.Parse(Encoding.UTF8.GetBytes(json)).Nics.Select(n => n.Mac).ShouldBe(["aa:bb:cc:00:11:22"]);
    }
}
