using System.Diagnostics;
using System.Globalization;
using System.Text;
using Anvil.Testing.Network;

namespace Anvil.Testing.Lab;

/// <summary>
/// A diskless qemu VM (TCG, no display) running Anvil's ephemeral environment, either booted
/// directly (<c>-kernel/-initrd/-append</c>, user-mode networking that reaches one host port
/// only) or network-booted by its NIC's iPXE ROM on a tap the test created. Every serial console
/// line is kept with the seconds since qemu started, so boots can be timed and a failed one read.
/// Disposing kills qemu.
/// </summary>
public sealed partial class EphemeralVm : IAsyncDisposable
{
    /// <summary>The address a directly booted guest reaches the forwarded host port at (port 80).</summary>
    public const string ForwardedHost = "10.0.2.100";

    /// <summary>The unpacked initramfs is about 130 MB; the rest is for the scripts.</summary>
    /// <summary>The VM's memory in MiB.</summary>
    public const int MemoryMiB = 1024;

    /// <summary>qemu's virtio NIC: PCI id 1af4:1000.</summary>
    public const string VirtioNic = "virtio-net-pci";

    /// <summary>qemu's Intel 82540EM NIC: PCI id 8086:100e.</summary>
    public const string E1000Nic = "e1000";

    private const string Memory = "1024";

    private readonly Process process;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<(double Seconds, string Line)> lines = [];
    private readonly StringBuilder partial = new();
    private readonly Task reader;

    // ANVIL_LAB_CONSOLE_DIR: each VM's console is also written there as it arrives (to watch a
    // long VM test, and as the artifact CI keeps).
    private readonly string? consoleFile = Environment.GetEnvironmentVariable("ANVIL_LAB_CONSOLE_DIR") is { Length: > 0 } dir
        ? Path.Combine(Directory.CreateDirectory(dir).FullName, $"vm-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.log")
        : null;

    private EphemeralVm(IEnumerable<string> arguments, string mac)
    {
        Mac = mac;
        process = new Process { StartInfo = HostCommand.StartInfo("qemu-system-x86_64", arguments) };
        process.StartInfo.RedirectStandardError = false;
        process.Start();
        reader = Task.Run(ReadConsoleAsync);
    }

    public string Mac { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The console so far, one line per row prefixed with seconds since qemu started.</summary>
    public string SerialConsole
    {
        get
        {
            lock (lines)
                return string.Join('\n', lines.Select(l => $"{l.Seconds.ToString("F3", CultureInfo.InvariantCulture),8} {l.Line}"));
        }
    }

    /// <summary>
    /// Boots <paramref name="image"/> directly. The guest's only reachable address is
    /// <see cref="ForwardedHost"/>:80, forwarded to 127.0.0.1:<paramref name="hostPort"/> (qemu
    /// user networking with <c>restrict=on</c>; one <c>busybox nc</c> per connection).
    /// </summary>
    public static EphemeralVm StartDirect(EphemeralImage image, int hostPort, string commandLine, string? mac = null)
    {
        mac ??= QemuVm.RandomMac();
        return new EphemeralVm(
        [
            "-name", "anvil-ephemeral", "-accel", "tcg", "-m", Memory, "-nographic", "-no-reboot",
            "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", $"console=ttyS0 {commandLine} BOOTIF=01-{mac.Replace(':', '-')}",
            "-netdev", $"user,id=n0,restrict=on,guestfwd=tcp:{ForwardedHost}:80-cmd:busybox nc 127.0.0.1 {hostPort}",
            "-device", $"virtio-net-pci,netdev=n0,mac={mac}",
        ],
            mac);
    }

    /// <summary>PXE-boots through the virtio NIC's iPXE ROM on <paramref name="tap"/> (which must exist and be up).</summary>
    /// <param name="tap">The tap device on the lab bridge (it must exist and be up).</param>
    /// <param name="mac">The NIC's MAC; random when null.</param>
    /// <param name="extra">More qemu arguments, e.g. a disk: <c>-drive if=none,id=d0,file=…,format=raw -device virtio-blk-pci,drive=d0,serial=…</c>.</param>
    public static EphemeralVm StartNetworkBoot(string tap, string? mac = null, params string[] extra) =>
        StartNetworkBootWithNic(VirtioNic, tap, mac, extra);

    /// <summary>
    /// PXE-boots like <see cref="StartNetworkBoot"/> through a NIC of qemu model
    /// <paramref name="nicModel"/> (<see cref="VirtioNic"/>, <see cref="E1000Nic"/>; qemu loads
    /// the model's iPXE ROM), e.g. to give two VMs NICs with different PCI ids.
    /// </summary>
    public static EphemeralVm StartNetworkBootWithNic(string nicModel, string tap, string? mac, params string[] extra)
    {
        mac ??= QemuVm.RandomMac();
        return new EphemeralVm(
        [
            "-name", $"anvil-{tap}", "-accel", "tcg", "-m", Memory, "-nographic", "-no-reboot",
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"{nicModel},netdev=n0,mac={mac}",
            "-boot", "n",
            .. extra,
        ],
            mac);
    }

    /// <summary>Seconds since qemu started at which a console line first contained <paramref name="text"/>, or null.</summary>
    public double? SecondsUntil(string text)
    {
        lock (lines)
            return lines.FirstOrDefault(l => l.Line.Contains(text, StringComparison.Ordinal)) is { Line: not null } found ? found.Seconds : null;
    }

    /// <summary>Waits for qemu to exit (the environment powers off at the end); false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            await reader;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await reader;
        process.Dispose();
    }

    // iPXE and the firmware draw with carriage returns and terminal escapes: lines end at \r or
    // \n, and escape sequences (ESC [ … letter, or ESC and one character) are dropped.
    private async Task ReadConsoleAsync()
    {
        var buffer = new char[4096];
        var stdout = process.StandardOutput;
        var escape = Escape.None;
        int read;
        while ((read = await stdout.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                escape = escape switch
                {
                    Escape.Start => c == '[' ? Escape.Csi : Escape.None,
                    Escape.Csi => char.IsAsciiLetter(c) ? Escape.None : Escape.Csi,
                    _ when c == '\x1b' => Escape.Start,
                    _ => Consume(c),
                };
            }
        }

        Flush();
    }

    private Escape Consume(char c)
    {
        if (c is '\r' or '\n')
            Flush();
        else if (c >= ' ' || c == '\t')
            partial.Append(c);
        return Escape.None;
    }

    private void Flush()
    {
        if (partial.Length == 0)
            return;
        var line = partial.ToString().Trim();
        partial.Clear();
        if (line.Length == 0)
            return;
        lock (lines)
        {
            lines.Add((clock.Elapsed.TotalSeconds, line));
            if (consoleFile is not null)
                File.AppendAllText(consoleFile, $"{clock.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture),8} {line}\n");
        }
    }

    private enum Escape
    {
        None,
        Start,
        Csi,
    }
}
