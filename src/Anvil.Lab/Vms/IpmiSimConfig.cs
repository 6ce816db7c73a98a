using System.Globalization;

namespace Anvil.Lab.Vms;

/// <summary>
/// The configuration of one OpenIPMI <c>ipmi_sim</c> BMC that powers a qemu VM: a LAN (RMCP/RMCP+)
/// listener, the VM's <c>ipmi-bmc-extern</c> channel (qemu connects to it over TCP), the VM's
/// start command (chassis on runs it; the chassis is on while that process lives) and one admin
/// user. <see cref="WriteAsync"/> writes <c>lan.conf</c> and <c>bmc.emu</c>, and
/// <see cref="Arguments"/> are ipmi_sim's arguments to run them.
/// </summary>
/// <remarks>
/// <see cref="LanAddress"/> is one IPv4 address (ipmi_sim 2.0.33 takes only one).
/// <see cref="VmChannelHost"/>:<see cref="VmChannelPort"/> is where ipmi_sim listens for qemu's
/// chardev, so the two must share a network namespace. <see cref="StartCommand"/> must
/// <c>exec</c> qemu so that ipmi_sim tracks qemu's own pid.
/// </remarks>
public sealed record IpmiSimConfig(string Name, string LanAddress, int LanPort, string VmChannelHost, int VmChannelPort, string StartCommand, string User, string Password)
{
    public const string LanFile = "lan.conf";

    public const string EmuFile = "bmc.emu";

    public const string StateDirectory = "ipmi-state";

    /// <summary>
    /// qemu's arguments that wire the VM's KCS system interface to this BMC's channel
    /// (<c>reconnect=1</c>: qemu retries if it starts before ipmi_sim listens).
    /// </summary>
    public IEnumerable<string> QemuArguments() =>
    [
        "-chardev", $"socket,id=ipmi0,host={VmChannelHost},port={VmChannelPort.ToString(CultureInfo.InvariantCulture)},reconnect=1",
        "-device", "ipmi-bmc-extern,id=bmc0,chardev=ipmi0",
        "-device", "isa-ipmi-kcs,bmc=bmc0",
    ];

    /// <summary>Writes <c>lan.conf</c>, <c>bmc.emu</c> and the state directory into <paramref name="directory"/>.</summary>
    public async Task WriteAsync(string directory)
    {
        // poweroff_wait: power off over the VM channel ends qemu at once; SIGTERM only if it has not after 5 s, SIGKILL 3 s later.
        await File.WriteAllTextAsync(Path.Combine(directory, LanFile), $"""
            name "{Name}"
            set_working_mc 0x20
              startlan 1
                addr {LanAddress} {LanPort.ToString(CultureInfo.InvariantCulture)}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              serial 15 {VmChannelHost} {VmChannelPort.ToString(CultureInfo.InvariantCulture)} codec VM
              startcmd "{StartCommand}"
              startnow false
              poweroff_wait 5
              kill_wait 3
              user 2 true "{User}" "{Password}" admin 10 none md2 md5 straight

            """);
        await File.WriteAllTextAsync(Path.Combine(directory, EmuFile), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """);
        Directory.CreateDirectory(Path.Combine(directory, StateDirectory));
    }

    /// <summary>ipmi_sim's arguments for the files <see cref="WriteAsync"/> wrote to <paramref name="directory"/> (<c>-n</c>: no console).</summary>
    public static string[] Arguments(string directory) =>
        ["-c", Path.Combine(directory, LanFile), "-f", Path.Combine(directory, EmuFile), "-s", Path.Combine(directory, StateDirectory), "-n"];

    /// <summary>A start script that records each start (its pid, one line) in <paramref name="startsFile"/> and execs qemu with <paramref name="qemuArguments"/>.</summary>
    public static async Task WriteStartScriptAsync(string path, string startsFile, IEnumerable<string> qemuArguments)
    {
        var command = string.Join(" \\\n  ", qemuArguments.Select(ShellQuote));
        await File.WriteAllTextAsync(path, $"""
            #!/bin/sh
            echo "$$" >> {ShellQuote(startsFile)}
            exec qemu-system-x86_64 {command}

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_=,.:/@+".Contains(c)) ? value : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
