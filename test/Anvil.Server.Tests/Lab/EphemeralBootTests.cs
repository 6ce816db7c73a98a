using System.Text;
using System.Text.Json;
using Anvil.Cli.Support;
using Anvil.Server.Support;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Anvil's ephemeral environment (scripts/ephemeral.sh, built from Debian's packages) in a real
/// qemu VM under TCG against a real anvild: booted directly with <c>-kernel/-initrd/-append</c>
/// (fast: user networking that reaches the region's loopback port only), an unknown VM enlists as a
/// New machine with its MAC and architecture; PXE-booted by iPXE from the rack on a test bridge,
/// a known machine is commissioned and tested. The serial console, with seconds since qemu
/// started, is the output.
/// </summary>
public sealed class EphemeralBootTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_unknown_vm_booted_directly_enlists_itself_as_a_new_machine_with_its_mac_and_architecture()
    {
        var image = await PxeLab.ImageAsync(output);
        await using var anvild = await AnvildProcess.StartAsync();
        var admin = Admin.Client(anvild);
        var mac = QemuVm.RandomMac();
        // What the rack would put on the command line for an unknown machine (maas-api.md §8.3).
        var preseed = $"http://{EphemeralVm.ForwardedHost}/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed";

        await using var vm = EphemeralVm.StartDirect(image, anvild.Port, $"nomodeset ip=::::maas-enlist:BOOTIF:dhcp ip6=off cloud-config-url={preseed}", mac);
        var machine = await PxeLab.WaitForMachineAsync(anvild, admin, vm);

        await AssertEnlistedAsync(machine, vm, () => PxeLab.Diagnostics(anvild, vm));
        PxeLab.Report(output, vm, "direct boot");
    }

    /// <summary>
    /// Commissioning and testing in one PXE boot of a VM with a disk (serial set in qemu), the
    /// operator at the power button (power type manual): the machine gets qemu's CPU count, memory,
    /// disk and MAC and a tag defined over its lshw, then a user's testing script fails, so it ends
    /// Failed testing with the script's output in its results (API and CLI). Enlistment by PXE is
    /// the lifecycle test's.
    /// </summary>
    [Fact]
    public async Task A_pxe_booted_vm_is_commissioned_with_its_inventory_and_a_failing_test_ends_it_in_failed_testing()
    {
        await using var lab = await PxeLab.StartAsync(output);
        var (net, anvild, admin) = (lab.Net, lab.Anvild, lab.Admin);
        var disk = Path.Combine(anvild.DataDir, "vm-disk.raw");
        await using (var file = File.Create(disk))
            file.SetLength(2L << 30);
        const string serial = "ANVILDISK0001";
        string[] drive = ["-drive", $"if=none,id=d0,file={disk},format=raw", "-device", $"virtio-blk-pci,drive=d0,serial={serial}"];
        var mac = QemuVm.RandomMac();
        var id = await lab.CreateMachineAsync(mac);
        // A tag defined as XPath over lshw, on the system vendor qemu reports.
        await admin.PostAsync("tags/", null, [new("name", "qemu-vendor"), new("definition", "//node[@class='system']/vendor = 'QEMU'")]);
        // A user's testing script that fails: the machine ends Failed testing and its output is in the results.
        await admin.PostAsync("scripts/", null, [new("name", "anvil-fails"), new("type", "testing"), new("script", "#!/bin/sh\necho boom from the test\nexit 3\n")]);
        await admin.PostAsync($"machines/{id}/", "commission", [new("testing_scripts", "anvil-fails")]);

        JsonElement machine;
        await using (var vm = EphemeralVm.StartNetworkBoot(net.TapName, mac, drive))
        {
            machine = await lab.WaitForStatusAsync(vm, id, "Failed testing", PxeLab.CommissioningWait);
            PxeLab.Report(output, vm, "commissioning and testing");
        }

        output.WriteLine($"Commissioned machine: {machine}");
        machine.GetProperty("cpu_count").GetInt32().ShouldBe(1);
        // qemu's RAM less what firmware and the kernel reserve: within 5 %.
        machine.GetProperty("memory").GetInt32().ShouldBeInRange((int)(EphemeralVm.MemoryMiB * 0.95), EphemeralVm.MemoryMiB);
        machine.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("mac_address").GetString()).ShouldContain(mac);
        var disks = machine.GetProperty("physicalblockdevice_set").EnumerateArray().ToList();
        disks.ShouldContain(d => d.GetProperty("serial").GetString() == serial && d.GetProperty("size").GetInt64() == 2L << 30);
        machine.GetProperty("tag_names").EnumerateArray().Select(t => t.GetString()).ShouldContain("qemu-vendor");

        // The machine's summary of its current testing results, as MAAS aggregates them.
        machine.GetProperty("testing_status_name").GetString().ShouldBe("Failed", machine.ToString());
        machine.GetProperty("other_test_status_name").GetString().ShouldBe("Failed", machine.ToString());
        machine.GetProperty("commissioning_status_name").GetString().ShouldBe("Passed", machine.ToString());

        var results = (await admin.GetAsync($"nodes/{id}/results/", null, [new("type", "testing"), new("include_output", "true")])).BodyText;
        output.WriteLine($"testing results: {results}");
        var boom = Convert.ToBase64String(Encoding.UTF8.GetBytes("boom from the test"));
        (results.Contains("anvil-fails", StringComparison.Ordinal) && (results.Contains("boom from the test", StringComparison.Ordinal) || results.Contains(boom[..16], StringComparison.Ordinal)))
            .ShouldBeTrue(results);

        // The same output through the CLI, as `maas admin node-script-result read <id> current-testing include_output=true`.
        using var cli = new CliHarness();
        (await cli.RunAsync("login", "admin", anvild.Url, anvild.AdminKey)).ExitCode.ShouldBe(0);
        var read = await cli.RunAsync("admin", "node-script-result", "read", id, "current-testing", "include_output=true");
        read.ExitCode.ShouldBe(0, read.Error);
        using var set = JsonDocument.Parse(read.Out);
        set.RootElement.GetProperty("status_name").GetString().ShouldBe("Failed", read.Out);
        var failed = set.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "anvil-fails");
        failed.GetProperty("status_name").GetString().ShouldBe("Failed", read.Out);
        failed.GetProperty("exit_status").GetInt32().ShouldBe(3, read.Out);
        Encoding.UTF8.GetString(Convert.FromBase64String(failed.GetProperty("output").GetString()!)).ShouldContain("boom from the test");
    }

    private static async Task AssertEnlistedAsync(JsonElement machine, EphemeralVm vm, Func<string> diagnostics)
    {
        var systemId = machine.GetProperty("system_id").GetString();
        machine.GetProperty("status_name").GetString().ShouldBe("New", diagnostics());
        machine.GetProperty("architecture").GetString().ShouldBe("amd64/generic", diagnostics());
        machine.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("mac_address").GetString()).ShouldContain(vm.Mac, diagnostics());
        // The region answers before the VM prints what it got.
        var deadline = DateTime.UtcNow + PxeLab.Wait;
        while (vm.SecondsUntil($"anvil-runner: enlisted as {systemId}") is null && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        vm.SerialConsole.ShouldContain($"anvil-runner: enlisted as {systemId}", customMessage: diagnostics());
    }
}
