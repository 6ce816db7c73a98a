using Anvil.Lab.Vms;

namespace Anvil.Testing.Lab;

/// <summary>A lab machine as a datacenter has it: network boot first, its own disks after.</summary>
public sealed partial class EphemeralVm
{
    /// <summary>
    /// PXE-boots through a virtio NIC on <paramref name="tap"/> first and the first of
    /// <paramref name="disks"/> when the network hands over (iPXE <c>exit</c>: the firmware boots its next device), under
    /// <paramref name="firmware"/>. A guest reboot restarts it (the installer reboots into the
    /// rack's "boot locally" answer); a power-off ends qemu.
    /// </summary>
    public static EphemeralVm StartMachine(string tap, string mac, LabFirmware firmware, IReadOnlyList<LabDisk> disks) =>
        new(["-name", $"anvil-{tap}", "-accel", "tcg", "-nographic", .. MachineArguments(tap, mac, firmware, disks)], mac);

    /// <summary>
    /// What makes a VM a lab machine, without its name, accelerator or console: memory, firmware,
    /// the virtio NIC on <paramref name="tap"/> (its iPXE ROM boots first), then the disks.
    /// </summary>
    public static string[] MachineArguments(string tap, string mac, LabFirmware firmware, IReadOnlyList<LabDisk> disks) =>
    [
        "-m", Memory,
        .. firmware.QemuArguments(),
        "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
        "-device", $"{VirtioNic},netdev=n0,mac={mac},bootindex=0",
        .. disks.SelectMany((disk, index) => disk.QemuArguments(index)),
    ];
}
