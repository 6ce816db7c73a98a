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
/// Deployment on a real UEFI VM, through anvild's API only (power type manual: the test is the
/// operator who presses the power button): a machine with a disk is commissioned, the LVM layout
/// is set, the Debian image built by scripts/debian-image.sh is uploaded as a boot resource and
/// synced to the rack, and a deploy with user data makes the VM PXE-boot the installer, reboot into
/// the rack's "boot locally" answer, boot Debian from its own disk through OVMF, fetch its user
/// data (Deployed) and run it (it calls the test back). The BIOS machine with the flat layout,
/// rescue mode and release with erase are the lifecycle test's (LifecycleTests).
/// </summary>
public sealed class DeploymentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeployWait = TimeSpan.FromMinutes(20);
    private const long DiskBytes = 4L << 30;

    [Fact]
    public async Task A_uefi_vm_deploys_debian_with_the_lvm_layout_and_runs_its_user_data()
    {
        await using var lab = await PxeLab.StartAsync(output);
        var firmware = LabFirmware.Uefi(Path.Combine(lab.Anvild.DataDir, "ovmf-vars.fd"));

        var machine = await DeployAsync(lab, firmware, layout: "lvm");

        machine.Deployed.GetProperty("bios_boot_method").GetString().ShouldBe("uefi");
        var volumeGroups = (await lab.Admin.GetAsync($"nodes/{machine.SystemId}/volume-groups/")).ParseJson().RootElement;
        volumeGroups.EnumerateArray().ShouldContain(vg => vg.GetProperty("name").GetString() == "vgroot");
    }

    private sealed record DeployedMachine(string SystemId, string Mac, LabDisk Disk, JsonElement Deployed);

    /// <summary>
    /// Commissions a new machine with one disk under <paramref name="firmware"/>, optionally sets a
    /// storage layout, uploads the Debian image and deploys it with user data that calls the test
    /// back; returns once the user data ran and the machine is Deployed.
    /// </summary>
    private async Task<DeployedMachine> DeployAsync(PxeLab lab, LabFirmware firmware, string? layout)
    {
        var debian = await DebianImage.GetAsync();
        output.WriteLine($"Debian image {debian.Directory}: {debian.Size:N0} bytes, ready after {debian.Elapsed.TotalSeconds:F0} s");
        var mac = QemuVm.RandomMac();
        var disk = await LabDisk.CreateAsync(Path.Combine(lab.Anvild.DataDir, "deploy-disk.qcow2"), DiskBytes, "ANVILDEPLOY01");
        var systemId = await lab.CreateMachineAsync(mac);

        await lab.Admin.PostAsync($"machines/{systemId}/", "commission", [new("testing_scripts", "none")]);
        await using (var vm = EphemeralVm.StartMachine(lab.Net.TapName, mac, firmware, [disk]))
        {
            var ready = await lab.WaitForStatusAsync(vm, systemId, "Ready", PxeLab.CommissioningWait);
            PxeLab.Report(output, vm, "commissioning");
            var boot = ready.GetProperty("boot_disk");
            boot.GetProperty("serial").GetString().ShouldBe("ANVILDEPLOY01");
            boot.GetProperty("partitions").EnumerateArray().ShouldContain(p => p.GetProperty("filesystem").GetProperty("mount_point").GetString() == "/");
        }

        // The installed system's console on the serial port too, where the test reads it.
        await lab.Admin.PostAsync("maas/", "set_config", [new("name", "kernel_opts"), new("value", "console=tty0 console=ttyS0,115200")]);
        if (layout is not null)
            (await lab.Admin.PostAsync($"machines/{systemId}/", "set_storage_layout", [new("storage_layout", layout)])).StatusCode.ShouldBe(HttpStatusCode.OK);
        await LabImages.UploadAsync(lab, debian, "debian/bookworm");
        await LabImages.WaitForRackImagesAsync(lab);
        using var marker = new MarkerListener(IPAddress.Parse(lab.Net.BridgeAddress));
        var token = Guid.NewGuid().ToString("N");
        var userData = $"#!/bin/sh\ncurl -s http://{lab.Net.BridgeAddress}:{marker.Port}/deployed/{token}/$(hostname)\n";
        (await lab.Admin.PostAsync($"machines/{systemId}/", "deploy", [
            new("distro_series", "debian/bookworm"),
            new("user_data", Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)))])).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var vm = EphemeralVm.StartMachine(lab.Net.TapName, mac, firmware, [disk]))
        {
            var line = await marker.WaitAsync($"/deployed/{token}/", DeployWait);
            PxeLab.Report(output, vm, "deployment");
            line.ShouldNotBeNull($"user_data never called back{lab.Diagnostics(vm)}");
            var deployed = await lab.MachineAsync(systemId);
            deployed.GetProperty("status_name").GetString().ShouldBe("Deployed", lab.Diagnostics(vm));
            deployed.GetProperty("netboot").GetBoolean().ShouldBeFalse();
            // The installer ran, rebooted, and the rack sent the machine to its disk.
            vm.SerialConsole.ShouldContain("anvil-installer", customMessage: lab.Diagnostics(vm));
            vm.SerialConsole.ShouldContain("Anvil: booting from the local disk", customMessage: lab.Diagnostics(vm));
            output.WriteLine($"events: {(await lab.Admin.GetAsync("events/", "query", [new("id", systemId), new("limit", "200")])).BodyText}");
            return new DeployedMachine(systemId, mac, disk, deployed);
        }
    }
}
