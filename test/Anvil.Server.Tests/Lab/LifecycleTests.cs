using System.Net;
using System.Text.Json;
using Anvil.Lab.Vms;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// The whole life of one machine on a qemu VM whose power is an IPMI BMC (OpenIPMI's ipmi_sim
/// wired to qemu's ipmi-bmc-extern), driven only through anvild's public API as an operator
/// would: the operator presses the power button once (ipmitool) and the VM PXE-boots, enlists and
/// is New; the operator gives Anvil the BMC's credentials, and from then on Anvil powers the VM
/// itself: commissioning with tests → Ready → allocate → deploy of the Debian image (the VM
/// installs, reboots from its own disk and runs the user data, which calls the test back) →
/// Deployed → rescue mode (the owner logs in over SSH) → back to Deployed → release with quick
/// erase → Ready, with no partition table left. The machine's boot timeline then shows every
/// stage from its first DHCP packet to Deployed. On failure the serial console, anvild's output
/// (with the rack's DHCP/TFTP/HTTP lines) and the timeline are kept under artifacts/lab/.
/// </summary>
public sealed partial class LifecycleTests(ITestOutputHelper output)
{
    private const long DiskBytes = 4L << 30;

    [Fact]
    public async Task An_ipmi_powered_vm_goes_from_enlistment_through_deployment_and_rescue_mode_to_release_driven_by_the_api_alone()
    {
        var debian = await DebianImage.GetAsync();
        await using var lab = await PxeLab.StartAsync(output);
        var admin = lab.Admin;
        var work = Directory.CreateDirectory(Path.Combine(lab.Anvild.DataDir, "lifecycle")).FullName;
        var disk = await LabDisk.CreateAsync(Path.Combine(work, "disk.qcow2"), DiskBytes, "ANVILLIFE0001");
        var mac = QemuVm.RandomMac();
        await using var vm = await IpmiVm.StartAsync(new IpmiVmSpec("lifecycle", lab.Net.TapName, mac, LabFirmware.Bios, [disk], work));
        var machine = new IpmiLabMachine(lab, vm, disk, output);
        var artifacts = new LabArtifacts();
        artifacts.Add("serial-console.txt", vm.Console);
        artifacts.Add("anvild.log", () => lab.Anvild.Output);
        artifacts.Add("boot-timeline.json", async () => machine.SystemId == "" ? "(no machine)" : (await admin.GetAsync($"machines/{machine.SystemId}/", "boot_timeline")).BodyText);
        try
        {
            // Enlistment: the operator powers the new server on at its BMC.
            (await vm.IpmitoolAsync("chassis", "power", "on")).ShouldContain("Up/On");
            var enlisted = await WaitForMachineWithMacAsync(lab, mac);
            machine.SystemId = enlisted.GetProperty("system_id").GetString()!;
            var systemId = machine.SystemId;
            await machine.WaitForAsync("New", () => !vm.IsOn, "enlistment to end with the VM off");
            enlisted = await lab.MachineAsync(systemId);
            enlisted.GetProperty("architecture").GetString().ShouldBe("amd64/generic");

            // The operator tells Anvil how to reach the BMC; Anvil powers the machine from here on.
            await machine.SetIpmiPowerAsync();
            (await admin.PostAsync($"machines/{systemId}/", "commission", [new("skip_bmc_config", "true")])).StatusCode.ShouldBe(HttpStatusCode.OK);
            var ready = await machine.WaitForAsync("Ready", () => !vm.IsOn, "commissioning and testing, then power off");
            ready.GetProperty("testing_status_name").GetString().ShouldBe("Passed");
            ready.GetProperty("boot_disk").GetProperty("serial").GetString().ShouldBe("ANVILLIFE0001");

            // Deployment (flat layout) with user data that calls the test back from the installed OS.
            await admin.PostAsync("maas/", "set_config", [new("name", "kernel_opts"), new("value", "console=tty0 console=ttyS0,115200")]);
            await LabImages.UploadAsync(lab, debian, "debian/bookworm");
            await LabImages.WaitForRackImagesAsync(lab);
            using var key = await SshKey.CreateAsync(work);
            await admin.PostAsync("account/prefs/sshkeys/", null, [new("key", key.PublicKey)]);
            await machine.DeployAsync("flat");

            // Rescue mode: the owner logs in to the ephemeral environment; then back to the OS.
            (await admin.PostAsync($"machines/{systemId}/", "rescue_mode")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await machine.WaitForAsync("Rescue mode", () => true, "the rescue environment");
            // The rescue environment's address: its last DHCP lease, as its console reports it.
            var address = DhcpOk().Matches(vm.Console()).Last().Groups[1].Value;
            var login = await key.RunAsync(address, "ls /sys/block/vda; grep -c cloud-config-url /proc/cmdline");
            login.ExitCode.ShouldBe(0, login.Error);
            login.Output.ShouldContain("vda1");
            var osBoots = IpmiLabMachine.Occurrences(vm.Console(), IpmiLabMachine.LoginPrompt);
            (await admin.PostAsync($"machines/{systemId}/", "exit_rescue_mode")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await machine.WaitForAsync("Deployed", () => IpmiLabMachine.Occurrences(vm.Console(), IpmiLabMachine.LoginPrompt) > osBoots, "the reboot into the OS");

            // Release with quick erase: the disk is wiped and the machine is Ready and off.
            await machine.ReleaseWithQuickEraseAsync();
            var timeline = (await admin.GetAsync($"machines/{systemId}/", "boot_timeline")).ParseJson().RootElement;
            AssertTimelineCoversEveryStage(timeline);

            // Once more with the LVM layout, onto the erased disk.
            var deployed = await machine.DeployAsync("lvm");
            deployed.GetProperty("bios_boot_method").GetString().ShouldBe("pxe");
            var volumeGroups = (await admin.GetAsync($"nodes/{systemId}/volume-groups/")).ParseJson().RootElement;
            volumeGroups.EnumerateArray().ShouldContain(vg => vg.GetProperty("name").GetString() == "vgroot");
        }
        catch
        {
            output.WriteLine($"artifacts kept in {await artifacts.KeepAsync()}");
            output.WriteLine($"--- serial console ---\n{vm.Console()}\n--- anvild ---\n{lab.Anvild.Output}");
            throw;
        }
    }

    /// <summary>From the first DHCP packet of the enlistment boot to Deployed, every stage is there, in order.</summary>
    private static void AssertTimelineCoversEveryStage(JsonElement timeline)
    {
        var rows = timeline.EnumerateArray()
            .Select(e => (Stage: e.GetProperty("stage").GetString()!, Kind: e.GetProperty("kind").GetString()!, Detail: e.GetProperty("detail").GetString()!))
            .ToList();
        string[] stages = ["dhcp", "http", "metadata", "signal", "power", "install", "status"];
        foreach (var stage in stages)
            rows.ShouldContain(r => r.Stage == stage, $"no {stage} events in the timeline");
        int Index(Func<(string Stage, string Kind, string Detail), bool> match) => rows.FindIndex(r => match(r));
        var discover = Index(r => r.Kind == "DHCPDISCOVER");
        var ack = Index(r => r.Kind == "DHCPACK");
        var kernel = Index(r => r.Stage == "http" && r.Detail.Contains("boot-kernel", StringComparison.Ordinal));
        var enlisted = Index(r => r.Stage == "metadata");
        var deploying = Index(r => r.Stage == "status" && r.Detail.EndsWith("to 'Deploying'", StringComparison.Ordinal));
        var installConfig = Index(r => r.Kind == "install-config" && r.Detail.EndsWith(" 200", StringComparison.Ordinal));
        var installed = Index(r => r.Stage == "install" && r.Kind == "finish" && r.Detail.StartsWith("cmd-install SUCCESS", StringComparison.Ordinal));
        var userData = Index(r => r.Kind == "user-data");
        var deployed = Index(r => r.Stage == "status" && r.Detail.EndsWith("to 'Deployed'", StringComparison.Ordinal));
        new[] { discover, ack, kernel, enlisted, deploying, installed, userData, deployed }.ShouldAllBe(i => i >= 0, string.Join("\n", rows));
        discover.ShouldBe(0, "the timeline starts with the first PXE request");
        new[] { discover, ack, kernel, enlisted, deploying, installConfig, installed, userData }.ShouldBeInOrder(SortDirection.Ascending);
        deployed.ShouldBeGreaterThanOrEqualTo(userData - 1, "Deployed follows the installed OS asking for its user-data");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"anvil-ephemeral: dhcp ok on \S+ addr=([0-9.]+)/")]
    private static partial System.Text.RegularExpressions.Regex DhcpOk();

    private static async Task<JsonElement> WaitForMachineWithMacAsync(PxeLab lab, string mac)
    {
        var deadline = DateTime.UtcNow + IpmiLabMachine.StageWait;
        while (DateTime.UtcNow < deadline)
        {
            var machines = (await lab.Admin.GetAsync("machines/")).ParseJson().RootElement;
            foreach (var machine in machines.EnumerateArray())
            {
                if (machine.GetProperty("interface_set").EnumerateArray().Any(i => i.GetProperty("mac_address").GetString() == mac))
                    return machine.Clone();
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"No machine with MAC {mac} enlisted.");
    }
}
