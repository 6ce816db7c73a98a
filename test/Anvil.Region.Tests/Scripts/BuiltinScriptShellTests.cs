using System.Text;
using Anvil.Domain.Commissioning;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

/// <summary>The shipped scripts run under busybox sh with busybox's applets.</summary>
public sealed class BuiltinScriptShellTests : IDisposable
{
    private readonly List<string> temporary = [];

    public static TheoryData<string> ScriptNames => [.. BuiltinScript.LoadAll().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void Every_builtin_parses_with_sh_and_busybox_sh(string name)
    {
        using var shell = new BusyboxShell();
        var path = shell.ScriptPath(name);

        BusyboxShell.Run("/bin/sh", ["-n", path], new Dictionary<string, string>(), TimeSpan.FromSeconds(10)).ExitCode.ShouldBe(0);
        BusyboxShell.Run("busybox", ["sh", "-n", path], new Dictionary<string, string>(), TimeSpan.FromSeconds(10)).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Machine_resources_reads_a_fake_sysfs_with_busybox_only()
    {
        using var shell = new BusyboxShell();
        var sys = FakeSysfs();

        var result = shell.RunScript("20-maas-03-machine-resources", env: new Dictionary<string, string> { ["SYSFS"] = sys });

        result.ExitCode.ShouldBe(0, result.ToString());
        var r = MachineResourcesReader.Parse(Encoding.UTF8.GetBytes(result.Stdout));
        r.Firmware.ShouldBe("bios");
        r.Dmi["system_vendor"].ShouldBe("Dell Inc.");
        r.Dmi["system_product"].ShouldBe("PowerEdge \"R650\"");
        r.Dmi["chassis_type"].ShouldBe("23");
        HardwareInfo.From(r)["chassis_type"].ShouldBe("Rack Mount Chassis");
        r.MemoryBytes.ShouldBe(3L * 128 * 1024 * 1024);
        var disk = r.Disks.ShouldHaveSingleItem();
        (disk.Name, disk.Serial, disk.Model, disk.Size, disk.Rotational, disk.BlockSize, disk.FirmwareVersion).ShouldBe(
            ("sda", "S4EWNX0R123456", "SAMSUNG MZ7LH960", 1000L * 512, false, 4096, "HXT7404Q"));
        var nic = r.Nics.ShouldHaveSingleItem();
        (nic.Name, nic.Mac, nic.Driver, nic.PciAddress, nic.VendorId, nic.ProductId, nic.SpeedMbps, nic.Link, nic.SriovMaxVf).ShouldBe(
            ("eno1", "b0:26:28:aa:bb:cc", "bnxt_en", "0000:3b:00.0", "14e4", "16d7", 25000, true, 8));
        r.PciDevices.ShouldHaveSingleItem().Modalias.ShouldBe("pci:v000014E4d000016D7sv000014E4sd00001402bc02sc00i00");
    }

    [Fact]
    public void Machine_resources_on_this_machine_reports_its_cpus()
    {
        using var shell = new BusyboxShell("lsblk", "dmidecode");

        var result = shell.RunScript("20-maas-03-machine-resources");

        result.ExitCode.ShouldBe(0, result.ToString());
        var r = MachineResourcesReader.Parse(Encoding.UTF8.GetBytes(result.Stdout));
        r.Cpu.Count.ShouldBe(Environment.ProcessorCount);
        r.MemoryBytes.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Modaliases_are_listed_once_each_in_order()
    {
        using var shell = new BusyboxShell();
        var sys = FakeSysfs();
        Write(sys, "devices/platform/x/modalias", "acpi:PNP0A08:\n");
        Write(sys, "devices/platform/y/modalias", "acpi:PNP0A08:\n");

        var result = shell.RunScript("maas-list-modaliases", env: new Dictionary<string, string> { ["SYSFS"] = sys });

        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            ["acpi:PNP0A08:", "pci:v000014E4d000016D7sv000014E4sd00001402bc02sc00i00"]);
    }

    [Fact]
    public void Bmc_config_without_a_bmc_reports_nothing_and_succeeds()
    {
        File.Exists("/dev/ipmi0").ShouldBeFalse("this test needs a machine without an in-band BMC");
        using var shell = new BusyboxShell();
        var config = Path.Combine(TempDir(), "bmc.yaml");

        var result = shell.RunScript("30-maas-01-bmc-config", env: new Dictionary<string, string> { ["BMC_CONFIG_PATH"] = config });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("No IPMI BMC found");
        File.Exists(config).ShouldBeFalse();
    }

    [Fact]
    public void Lldp_capture_without_lldpd_gives_empty_output()
    {
        using var shell = new BusyboxShell();

        var result = shell.RunScript("maas-capture-lldpd");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBeEmpty();
        ProbedXml.NormalizeLldp(Encoding.UTF8.GetBytes(result.Stdout)).ShouldBeNull();
    }

    [Fact]
    public void Smartctl_validate_skips_a_device_without_smart()
    {
        using var shell = new BusyboxShell("smartctl");
        var file = Path.Combine(TempDir(), "disk.img");
        File.WriteAllBytes(file, new byte[4096]);
        var resultPath = Path.Combine(TempDir(), "result.yaml");

        var result = shell.RunScript("smartctl-validate", [file], new Dictionary<string, string> { ["RESULT_PATH"] = resultPath });

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(resultPath).ShouldStartWith("status: skipped\nresults:\n");
    }

    [Fact]
    public void Smartctl_validate_without_a_device_is_a_usage_error()
    {
        using var shell = new BusyboxShell("smartctl");

        shell.RunScript("smartctl-validate").ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Stress_ng_cpu_writes_a_passed_result_with_bogo_ops()
    {
        using var shell = new BusyboxShell("stress-ng");
        var resultPath = Path.Combine(TempDir(), "result.yaml");

        var result = shell.RunScript("stress-ng-cpu-short", env: new Dictionary<string, string> { ["RESULT_PATH"] = resultPath, ["ANVIL_STRESS_SECONDS"] = "1" });

        result.ExitCode.ShouldBe(0, result.ToString());
        var yaml = File.ReadAllText(resultPath);
        yaml.ShouldStartWith("status: passed\nresults:\n  bogo_ops: ");
        long.Parse(yaml.Split("bogo_ops: ")[1].Trim()).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Stress_ng_memory_writes_a_passed_result()
    {
        using var shell = new BusyboxShell("stress-ng");
        var resultPath = Path.Combine(TempDir(), "result.yaml");

        var result = shell.RunScript("stress-ng-memory-short", env: new Dictionary<string, string>
        {
            ["RESULT_PATH"] = resultPath,
            ["ANVIL_STRESS_SECONDS"] = "1",
            ["ANVIL_STRESS_VM_BYTES"] = "16M",
        });

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(resultPath).ShouldStartWith("status: passed\n");
    }

    [Fact]
    public void Memtester_writes_a_passed_result_with_the_amount_tested()
    {
        using var shell = new BusyboxShell("memtester");
        var resultPath = Path.Combine(TempDir(), "result.yaml");

        var result = shell.RunScript("memtester", env: new Dictionary<string, string> { ["RESULT_PATH"] = resultPath, ["ANVIL_MEMTESTER_MIB"] = "2" });

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(resultPath).ShouldBe("status: passed\nresults:\n  tested_mib: 2\n");
    }

    [Fact]
    public void Fio_measures_a_file_and_reports_iops_and_bandwidth()
    {
        using var shell = new BusyboxShell("fio");
        var target = Path.Combine(TempDir(), "fio.img");
        var resultPath = Path.Combine(TempDir(), "result.yaml");

        var result = shell.RunScript("fio", [target], new Dictionary<string, string>
        {
            ["RESULT_PATH"] = resultPath,
            ["ANVIL_FIO_RUNTIME"] = "1",
            ["ANVIL_FIO_SIZE"] = "4M",
            ["ANVIL_FIO_ENGINE"] = "psync",
            ["ANVIL_FIO_DIRECT"] = "0",
        });

        result.ExitCode.ShouldBe(0, result.ToString());
        var values = File.ReadAllLines(resultPath).Skip(2).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => long.Parse(p[1]));
        File.ReadAllLines(resultPath)[0].ShouldBe("status: passed");
        values.Keys.ShouldBe(["random_read_iops", "random_write_iops", "sequential_read_kib_s", "sequential_write_kib_s"]);
        values.Values.ShouldAllBe(v => v > 0);
    }

    public void Dispose()
    {
        foreach (var dir in temporary)
            Directory.Delete(dir, recursive: true);
    }

    private string TempDir()
    {
        var dir = Directory.CreateTempSubdirectory("anvil-bbtest-").FullName;
        temporary.Add(dir);
        return dir;
    }

    /// <summary>A server-like sysfs: DMI, three online memory blocks, one SATA SSD, one PCI NIC.</summary>
    private string FakeSysfs()
    {
        var sys = TempDir();
        Write(sys, "class/dmi/id/sys_vendor", "Dell Inc.\n");
        Write(sys, "class/dmi/id/product_name", "PowerEdge \"R650\"\n");
        Write(sys, "class/dmi/id/chassis_type", "23\n");
        Write(sys, "devices/system/memory/block_size_bytes", "8000000\n");
        foreach (var (block, state) in new[] { ("memory0", "online"), ("memory1", "online"), ("memory2", "offline"), ("memory3", "online") })
            Write(sys, $"devices/system/memory/{block}/state", state + "\n");

        var pci = Path.Combine(sys, "devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0");
        Write(pci, "vendor", "0x14e4\n");
        Write(pci, "device", "0x16d7\n");
        Write(pci, "subsystem_vendor", "0x14e4\n");
        Write(pci, "subsystem_device", "0x1402\n");
        Write(pci, "class", "0x020000\n");
        Write(pci, "modalias", "pci:v000014E4d000016D7sv000014E4sd00001402bc02sc00i00\n");
        Write(pci, "sriov_totalvfs", "8\n");
        Write(pci, "numa_node", "-1\n");
        Directory.CreateDirectory(Path.Combine(sys, "bus/drivers/bnxt_en"));
        File.CreateSymbolicLink(Path.Combine(pci, "driver"), Path.Combine(sys, "bus/drivers/bnxt_en"));
        Directory.CreateDirectory(Path.Combine(sys, "bus/pci/devices"));
        File.CreateSymbolicLink(Path.Combine(sys, "bus/pci/devices/0000:3b:00.0"), pci);
        var net = Path.Combine(pci, "net/eno1");
        Write(net, "address", "b0:26:28:aa:bb:cc\n");
        Write(net, "speed", "25000\n");
        Write(net, "carrier", "1\n");
        Write(net, "mtu", "9000\n");
        Directory.CreateDirectory(Path.Combine(sys, "class/net"));
        File.CreateSymbolicLink(Path.Combine(net, "device"), pci);
        File.CreateSymbolicLink(Path.Combine(sys, "class/net/eno1"), net);

        var sda = Path.Combine(sys, "block/sda");
        Write(sda, "size", "1000\n");
        Write(sda, "removable", "0\n");
        Write(sda, "ro", "0\n");
        Write(sda, "queue/rotational", "0\n");
        Write(sda, "queue/logical_block_size", "4096\n");
        Write(sda, "queue/physical_block_size", "4096\n");
        Write(sda, "device/model", "SAMSUNG MZ7LH960\n");
        Write(sda, "device/rev", "HXT7404Q\n");
        File.WriteAllBytes(Path.Combine(sda, "device/vpd_pg80"), [0, 0x80, 0, 14, .. "S4EWNX0R123456"u8.ToArray()]);
        // Loop and zram devices are not disks.
        Write(sys, "block/loop0/size", "2048\n");
        Write(sys, "block/zram0/size", "2048\n");
        return sys;
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
