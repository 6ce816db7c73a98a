using Anvil.Lab.Vms;
using Anvil.Testing.Network;

namespace Anvil.Testing.Lab;

/// <summary>
/// VMs with disks for deployment: the ephemeral environment booted directly with the machine's
/// disks attached (it installs onto them), and the machine booted from its first disk afterwards.
/// Both use the same user networking as <see cref="StartDirect"/>: <see cref="ForwardedHost"/>:80
/// is the host's <c>hostPort</c> and nothing else is reachable. The NIC has no option ROM, so the
/// firmware never tries the network. <c>-no-reboot</c>: a guest reboot ends qemu.
/// </summary>
public sealed partial class EphemeralVm
{
    /// <summary>The ephemeral environment with <paramref name="disks"/> attached, booted directly under <paramref name="firmware"/>.</summary>
    public static EphemeralVm StartDirectWithDisks(EphemeralImage image, int hostPort, string commandLine, LabFirmware firmware, IReadOnlyList<LabDisk> disks, string? mac = null)
    {
        mac ??= QemuVm.RandomMac();
        return new EphemeralVm(
        [
            "-name", "anvil-installer", "-accel", "tcg", "-m", Memory, "-nographic", "-no-reboot",
            .. firmware.QemuArguments(),
            "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", $"console=ttyS0 {commandLine} BOOTIF=01-{mac.Replace(':', '-')}",
            .. UserNetwork(hostPort, mac),
            .. disks.SelectMany((disk, index) => disk.QemuArguments(index)),
        ],
            mac);
    }

    /// <summary>Boots the first of <paramref name="disks"/> under <paramref name="firmware"/>: the installed system.</summary>
    public static EphemeralVm StartFromDisk(int hostPort, LabFirmware firmware, IReadOnlyList<LabDisk> disks, string mac)
    {
        return new EphemeralVm(
        [
            "-name", "anvil-installed", "-accel", "tcg", "-m", Memory, "-nographic", "-no-reboot",
            .. firmware.QemuArguments(),
            .. UserNetwork(hostPort, mac),
            .. disks.SelectMany((disk, index) => disk.QemuArguments(index)),
        ],
            mac);
    }

    private static string[] UserNetwork(int hostPort, string mac) =>
    [
        "-netdev", $"user,id=n0,restrict=on,guestfwd=tcp:{ForwardedHost}:80-cmd:busybox nc 127.0.0.1 {hostPort}",
        "-device", $"virtio-net-pci,netdev=n0,mac={mac},romfile=",
    ];
}

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
