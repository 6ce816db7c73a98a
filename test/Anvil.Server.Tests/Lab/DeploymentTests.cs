using Anvil.Lab.Vms;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Deployment on a real UEFI (OVMF) VM with an IPMI BMC, through anvild's API only: the operator
/// adds the machine with its MAC and BMC credentials and commissions it; Anvil powers it from then
/// on. Debian (scripts/debian-image.sh) is deployed with the flat layout, the installed OS boots
/// from its disk through OVMF and runs its user data (which calls the test back); release with
/// quick erase leaves no partition table; then the same machine deploys once more with the LVM
/// layout. The BIOS machine's flat and LVM deployments are the lifecycle test's (LifecycleTests).
/// </summary>
public sealed class DeploymentTests(ITestOutputHelper output)
{
    private const long DiskBytes = 4L << 30;

    [Fact]
    public async Task A_uefi_vm_deploys_debian_flat_is_erased_on_release_and_deploys_again_with_lvm()
    {
        var debian = await DebianImage.GetAsync();
        await using var lab = await PxeLab.StartAsync(output);
        var admin = lab.Admin;
        var work = Directory.CreateDirectory(Path.Combine(lab.Anvild.DataDir, "uefi")).FullName;
        var disk = await LabDisk.CreateAsync(Path.Combine(work, "disk.qcow2"), DiskBytes, "ANVILDEPLOY01");
        var mac = QemuVm.RandomMac();
        var firmware = LabFirmware.Uefi(Path.Combine(work, "ovmf-vars.fd"));
        await using var vm = await IpmiVm.StartAsync(new IpmiVmSpec("uefi", lab.Net.TapName, mac, firmware, [disk], work));
        var machine = new IpmiLabMachine(lab, vm, disk, output);
        var artifacts = new LabArtifacts();
        artifacts.Add("serial-console.txt", vm.Console);
        artifacts.Add("anvild.log", () => lab.Anvild.Output);
        try
        {
            machine.SystemId = await lab.CreateMachineAsync(mac);
            await machine.SetIpmiPowerAsync();
            var ready = await machine.CommissionAsync(testingScripts: "none");
            ready.GetProperty("boot_disk").GetProperty("serial").GetString().ShouldBe("ANVILDEPLOY01");

            // The installed system's console on the serial port too, where the test reads it.
            await admin.PostAsync("maas/", "set_config", [new("name", "kernel_opts"), new("value", "console=tty0 console=ttyS0,115200")]);
            await LabImages.UploadAsync(lab, debian, "debian/bookworm");
            await LabImages.WaitForRackImagesAsync(lab);

            var flat = await machine.DeployAsync("flat");
            flat.GetProperty("bios_boot_method").GetString().ShouldBe("uefi");
            // The installer ran, rebooted, and the rack sent the machine to its disk.
            vm.Console().ShouldContain("anvil-installer");
            vm.Console().ShouldContain("Anvil: booting from the local disk");
            await machine.ReleaseWithQuickEraseAsync();

            await machine.DeployAsync("lvm");
            var volumeGroups = (await admin.GetAsync($"nodes/{machine.SystemId}/volume-groups/")).ParseJson().RootElement;
            volumeGroups.EnumerateArray().ShouldContain(vg => vg.GetProperty("name").GetString() == "vgroot");
        }
        catch
        {
            output.WriteLine($"artifacts kept in {await artifacts.KeepAsync()}");
            output.WriteLine($"--- serial console ---\n{vm.Console()}\n--- anvild ---\n{lab.Anvild.Output}");
            throw;
        }
    }
}
