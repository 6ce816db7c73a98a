using System.Globalization;
using System.Net;
using System.Text;
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
    private static readonly TimeSpan StageWait = TimeSpan.FromMinutes(20);
    private const long DiskBytes = 4L << 30;
    private const string LoginPrompt = " login: ";

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
        var artifacts = new LabArtifacts();
        artifacts.Add("serial-console.txt", vm.Console);
        artifacts.Add("anvild.log", () => lab.Anvild.Output);
        string? systemId = null;
        artifacts.Add("boot-timeline.json", async () => systemId is null ? "(no machine)" : (await admin.GetAsync($"machines/{systemId}/", "boot_timeline")).BodyText);
        try
        {
            // Enlistment: the operator powers the new server on at its BMC.
            (await vm.IpmitoolAsync("chassis", "power", "on")).ShouldContain("Up/On");
            var enlisted = await WaitForMachineWithMacAsync(lab, mac);
            systemId = enlisted.GetProperty("system_id").GetString()!;
            await WaitForAsync(lab, systemId, "New", () => !vm.IsOn, "enlistment to end with the VM off");
            enlisted = await lab.MachineAsync(systemId);
            enlisted.GetProperty("architecture").GetString().ShouldBe("amd64/generic");

            // The operator tells Anvil how to reach the BMC; Anvil powers the machine from here on.
            (await admin.PutAsync($"machines/{systemId}/", null, [
                new("power_type", "ipmi"), new("power_parameters_power_driver", "LAN_2_0"),
                new("power_parameters_power_address", vm.BmcAddress), new("power_parameters_power_user", vm.BmcUser),
                new("power_parameters_power_pass", vm.BmcPassword), new("power_parameters_cipher_suite_id", "3")])).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await admin.PostAsync($"machines/{systemId}/", "commission", [new("skip_bmc_config", "true")])).StatusCode.ShouldBe(HttpStatusCode.OK);
            var ready = await WaitForAsync(lab, systemId, "Ready", () => !vm.IsOn, "commissioning and testing, then power off");
            ready.GetProperty("testing_status_name").GetString().ShouldBe("Passed");
            ready.GetProperty("boot_disk").GetProperty("serial").GetString().ShouldBe("ANVILLIFE0001");

            // Deployment with user data that calls the test back from the installed OS.
            await admin.PostAsync("maas/", "set_config", [new("name", "kernel_opts"), new("value", "console=tty0 console=ttyS0,115200")]);
            await LabImages.UploadAsync(lab, debian, "debian/bookworm");
            await LabImages.WaitForRackImagesAsync(lab);
            using var key = await SshKey.CreateAsync(work);
            await admin.PostAsync("account/prefs/sshkeys/", null, [new("key", key.PublicKey)]);
            using var marker = new MarkerListener(IPAddress.Parse(lab.Net.BridgeAddress));
            var token = Guid.NewGuid().ToString("N");
            var userData = $"#!/bin/sh\ncurl -s http://{lab.Net.BridgeAddress}:{marker.Port}/deployed/{token}/$(hostname)\n";
            (await admin.PostAsync("machines/", "allocate", [new("system_id", systemId)])).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await admin.PostAsync($"machines/{systemId}/", "deploy", [
                new("distro_series", "debian/bookworm"),
                new("user_data", Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)))])).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await marker.WaitAsync($"/deployed/{token}/", StageWait)).ShouldNotBeNull("user_data never called back");
            // Deployed, and the installed Debian's getty is on the serial console: the OS runs from its disk.
            var deployed = await WaitForAsync(lab, systemId, "Deployed", () => vm.Console().Contains(LoginPrompt, StringComparison.Ordinal), "deployment");
            deployed.GetProperty("power_state").GetString().ShouldBe("on");

            // Rescue mode: the owner logs in to the ephemeral environment; then back to the OS.
            (await admin.PostAsync($"machines/{systemId}/", "rescue_mode")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await WaitForAsync(lab, systemId, "Rescue mode", () => true, "the rescue environment");
            // The rescue environment's address: its last DHCP lease, as its console reports it.
            var address = DhcpOk().Matches(vm.Console()).Last().Groups[1].Value;
            var login = await key.RunAsync(address, "ls /sys/block/vda; grep -c cloud-config-url /proc/cmdline");
            login.ExitCode.ShouldBe(0, login.Error);
            login.Output.ShouldContain("vda1");
            var osBoots = Occurrences(vm.Console(), LoginPrompt);
            (await admin.PostAsync($"machines/{systemId}/", "exit_rescue_mode")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await WaitForAsync(lab, systemId, "Deployed", () => Occurrences(vm.Console(), LoginPrompt) > osBoots, "the reboot into the OS");

            // Release with quick erase: the disk is wiped and the machine is Ready and off.
            (await admin.PostAsync($"machines/{systemId}/", "release", [new("erase", "true"), new("quick_erase", "true")])).StatusCode.ShouldBe(HttpStatusCode.OK);
            var released = await WaitForAsync(lab, systemId, "Ready", () => !vm.IsOn, "erasing, then power off");
            released.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
            var head = await LabImages.ReadDiskHeadAsync(disk, work);
            (head[510] == 0x55 && head[511] == 0xAA).ShouldBeFalse("an MBR (or GPT protective MBR) is left on the disk");

            var timeline = (await admin.GetAsync($"machines/{systemId}/", "boot_timeline")).ParseJson().RootElement;
            AssertTimelineCoversEveryStage(timeline);
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
        string[] stages = ["dhcp", "http", "metadata", "signal", "power", "status"];
        foreach (var stage in stages)
            rows.ShouldContain(r => r.Stage == stage, $"no {stage} events in the timeline");
        int Index(Func<(string Stage, string Kind, string Detail), bool> match) => rows.FindIndex(r => match(r));
        var discover = Index(r => r.Kind == "DHCPDISCOVER");
        var ack = Index(r => r.Kind == "DHCPACK");
        var kernel = Index(r => r.Stage == "http" && r.Detail.Contains("boot-kernel", StringComparison.Ordinal));
        var enlisted = Index(r => r.Stage == "metadata");
        var deploying = Index(r => r.Stage == "status" && r.Detail.EndsWith("to 'Deploying'", StringComparison.Ordinal));
        var installConfig = Index(r => r.Kind == "install-config" && r.Detail.EndsWith(" 200", StringComparison.Ordinal));
        var userData = Index(r => r.Kind == "user-data");
        var deployed = Index(r => r.Stage == "status" && r.Detail.EndsWith("to 'Deployed'", StringComparison.Ordinal));
        new[] { discover, ack, kernel, enlisted, deploying, userData, deployed }.ShouldAllBe(i => i >= 0, string.Join("\n", rows));
        discover.ShouldBe(0, "the timeline starts with the first PXE request");
        new[] { discover, ack, kernel, enlisted, deploying, installConfig, userData }.ShouldBeInOrder(SortDirection.Ascending);
        deployed.ShouldBeGreaterThanOrEqualTo(userData - 1, "Deployed follows the installed OS asking for its user-data");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"anvil-ephemeral: dhcp ok on \S+ addr=([0-9.]+)/")]
    private static partial System.Text.RegularExpressions.Regex DhcpOk();

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static async Task<JsonElement> WaitForMachineWithMacAsync(PxeLab lab, string mac)
    {
        var deadline = DateTime.UtcNow + StageWait;
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

    /// <summary>Waits until the machine is in <paramref name="status"/> and <paramref name="andThen"/> holds; fails at once on a failed status.</summary>
    private async Task<JsonElement> WaitForAsync(PxeLab lab, string systemId, string status, Func<bool> andThen, string what)
    {
        var started = DateTime.UtcNow;
        var deadline = started + StageWait;
        while (true)
        {
            var machine = await lab.MachineAsync(systemId);
            var now = machine.GetProperty("status_name").GetString()!;
            if (now == status && andThen())
            {
                output.WriteLine($"{what}: {(DateTime.UtcNow - started).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
                return machine;
            }

            if (now.StartsWith("Failed", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Waiting for {what}: the machine is '{now}' ({machine.GetProperty("error_description").GetString()}), expected '{status}'.");
            await Task.Delay(1000);
        }
    }
}
