namespace Anvil.Lab.Vms;

/// <summary>
/// One lab machine as <see cref="IpmiVm"/> starts it: a qemu VM that network-boots through a virtio
/// NIC on <paramref name="Tap"/> (its iPXE ROM first, then its disks), powered by its own ipmi_sim BMC.
/// </summary>
/// <param name="Name">The machine's name, part of its qemu <c>-name</c> and its BMC's name.</param>
/// <param name="Tap">An existing tap device (up, on the lab bridge) for the boot NIC.</param>
/// <param name="Mac">The boot NIC's MAC.</param>
/// <param name="Firmware">SeaBIOS, or OVMF with the VM's own variable store.</param>
/// <param name="Disks">Attached in order after the NIC; the first is the one the firmware boots.</param>
/// <param name="WorkDirectory">Where the BMC's configuration, the VM's start script and its console go (created if missing).</param>
public sealed record IpmiVmSpec(string Name, string Tap, string Mac, LabFirmware Firmware, IReadOnlyList<LabDisk> Disks, string WorkDirectory)
{
    /// <summary>The IPv4 address the BMC's LAN listener binds (in <see cref="NetNamespace"/> when set).</summary>
    public string BmcListen { get; init; } = "127.0.0.1";

    /// <summary>The BMC's UDP port; 0 picks a free one outside a namespace and 623 (IPMI's own) inside one.</summary>
    public int BmcPort { get; init; }

    public string BmcUser { get; init; } = "admin";

    /// <summary>The BMC user's password; a random one when null.</summary>
    public string? BmcPassword { get; init; }

    /// <summary>When set, ipmi_sim (and so qemu, which it starts) runs in this network namespace (<c>ip netns exec</c>); the tap must be there.</summary>
    public string? NetNamespace { get; init; }

    /// <summary>A second NIC's tap (no boot ROM), with <see cref="SecondMac"/>.</summary>
    public string? SecondTap { get; init; }

    public string? SecondMac { get; init; }

    public int MemoryMiB { get; init; } = 1024;
}
