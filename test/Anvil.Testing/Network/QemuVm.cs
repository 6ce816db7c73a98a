using System.Security.Cryptography;

namespace Anvil.Testing.Network;

/// <summary>
/// A diskless qemu VM (TCG, no display) that network-boots through its virtio NIC's iPXE ROM
/// (Debian's ipxe-qemu) on a tap the test created. SeaBIOS and iPXE print to the serial console,
/// which is collected as <see cref="SerialConsole"/>. Disposing kills qemu.
/// </summary>
public sealed class QemuVm : IAsyncDisposable
{
    private readonly BackgroundProcess process;

    private QemuVm(BackgroundProcess process, string mac)
    {
        this.process = process;
        Mac = mac;
    }

    /// <summary>The NIC's MAC, lower case with colons, as iPXE's <c>${mac}</c> spells it.</summary>
    public string Mac { get; }

    public bool HasExited => process.HasExited;

    /// <summary>Everything on the serial console so far (with iPXE's terminal escapes).</summary>
    public string SerialConsole => process.Output;

    /// <summary>A random MAC in qemu's locally administered 52:54:00 prefix.</summary>
    public static string RandomMac() =>
        "52:54:00:" + string.Join(':', RandomNumberGenerator.GetBytes(3).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <param name="tap">A tap interface that exists and is up; qemu attaches to it.</param>
    /// <param name="mac">The NIC's MAC; a random one when null.</param>
    public static QemuVm StartNetworkBoot(string tap, string? mac = null)
    {
        mac ??= RandomMac();
        // -no-reboot: a guest reboot (e.g. iPXE giving up) ends qemu instead of booting again.
        var process = BackgroundProcess.Start("qemu-system-x86_64", [
            "-name", $"anvil-{tap}", "-accel", "tcg", "-m", "256", "-nographic", "-no-reboot",
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=n0,mac={mac}",
            "-boot", "n",
        ]);
        return new QemuVm(process, mac);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
