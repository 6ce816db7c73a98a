namespace Anvil.Testing.Network;

/// <summary>
/// How the lab runs OpenIPMI's <c>ipmi_sim</c> as a VM's BMC (the lab.md recipe): one LAN channel
/// on an address and UDP port, one admin user, the "VM" serial codec on a TCP port that qemu's
/// <c>ipmi-bmc-extern</c> connects to, and the script that starts the VM as its <c>startcmd</c>
/// (chassis power on runs it; the chassis is on while that process lives).
/// </summary>
public static class IpmiSimConfig
{
    /// <summary>Writes lan.conf, bmc.emu and the state directory into <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(
        string directory, string address, int port, int vmChannelPort, string name, string startScript, string user, string password)
    {
        // poweroff_wait: the VM channel's power-off ends qemu at once; SIGTERM only if it has not after 5 s.
        await File.WriteAllTextAsync(Path.Combine(directory, "lan.conf"), $"""
            name "{name}"
            set_working_mc 0x20
              startlan 1
                addr {address} {port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              serial 15 127.0.0.1 {vmChannelPort} codec VM
              startcmd "{startScript}"
              startnow false
              poweroff_wait 5
              kill_wait 3
              user 2 true "{user}" "{password}" admin 10 none md2 md5 straight

            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "bmc.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """);
        Directory.CreateDirectory(Path.Combine(directory, "state"));
    }

    /// <summary>Starts ipmi_sim on the configuration in <paramref name="directory"/>.</summary>
    public static BackgroundProcess Start(string directory) =>
        BackgroundProcess.Start("ipmi_sim",
            ["-c", Path.Combine(directory, "lan.conf"), "-f", Path.Combine(directory, "bmc.emu"), "-s", Path.Combine(directory, "state"), "-n"]);

    /// <summary>qemu's side of the BMC: the channel to ipmi_sim and the KCS interface the guest's ipmi_si driver finds.</summary>
    public static string[] QemuArguments(int vmChannelPort) =>
    [
        "-chardev", $"socket,id=ipmi0,host=127.0.0.1,port={vmChannelPort},reconnect=1",
        "-device", "ipmi-bmc-extern,id=bmc0,chardev=ipmi0", "-device", "isa-ipmi-kcs,bmc=bmc0",
    ];
}
