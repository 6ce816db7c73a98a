using System.Globalization;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Testing;
using Anvil.Testing.Network;

namespace Anvil.Rack.Tests.Power.Ipmi.Support;

/// <summary>
/// A real OpenIPMI <c>ipmi_sim</c> BMC on a loopback port, with a config the test writes. With no
/// VM to drive, its <c>startcmd</c> is a <c>sleep</c> with a duration unique to this peer: ipmi_sim
/// counts the chassis as on while that process lives, power on starts it and power off kills it.
/// ipmi_sim only accepts Chassis Control with a "VM" serial codec configured, so one is declared
/// on a free TCP port that nothing connects to.
/// </summary>
internal sealed class IpmiSimPeer : IAsyncDisposable
{
    private readonly BackgroundProcess process;
    private readonly string directory;

    private IpmiSimPeer(BackgroundProcess process, string directory, int port, string powerMarker)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        PowerMarker = powerMarker;
    }

    public const string User = "admin";
    public const string Password = "pa55word";

    public int Port { get; }

    /// <summary>The command line of the "machine" process ipmi_sim runs while the chassis is on.</summary>
    public string PowerMarker { get; }

    public static async Task<IpmiSimPeer> StartAsync(string? startCommand = null)
    {
        var directory = Directory.CreateTempSubdirectory("anvil-ipmisim-").FullName;
        var port = LocalPorts.FreeUdp();
        var serialPort = LocalPorts.FreeTcp();
        var seconds = 3000 + Random.Shared.Next(1, 999_999) / 1000.0;
        var marker = "sleep " + seconds.ToString("0.000", CultureInfo.InvariantCulture);
        var config = $"""
            name "anviltest"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 {port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid 0f1e2d3c4b5a69788796a5b4c3d2e1f0
              endlan
              serial 15 127.0.0.1 {serialPort} codec VM
              startcmd "{startCommand ?? marker}"
              startnow false
              poweroff_wait 0
              kill_wait 1
              user 2 true "{User}" "{Password}" admin 10 none md2 md5 straight
              user 3 true "viewer" "viewerpw" user 10 none md2 md5 straight

            """;
        const string emulation = """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """;
        await File.WriteAllTextAsync(Path.Combine(directory, "lan.conf"), config);
        await File.WriteAllTextAsync(Path.Combine(directory, "bmc.emu"), emulation);
        Directory.CreateDirectory(Path.Combine(directory, "state"));
        var process = BackgroundProcess.Start("ipmi_sim",
            ["-c", Path.Combine(directory, "lan.conf"), "-f", Path.Combine(directory, "bmc.emu"), "-s", Path.Combine(directory, "state"), "-n"]);
        var peer = new IpmiSimPeer(process, directory, port, marker);
        await peer.WaitListeningAsync();
        return peer;
    }

    public PowerParameters Parameters(string cipherSuite = "3", string? password = null, string? user = null, string privilege = "OPERATOR", string offMode = "hard", string driver = "LAN_2_0") =>
        new(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_address"] = $"127.0.0.1:{Port}",
            ["power_user"] = user ?? User,
            ["power_pass"] = password ?? Password,
            ["cipher_suite_id"] = cipherSuite,
            ["privilege_level"] = privilege,
            ["power_off_mode"] = offMode,
            ["power_driver"] = driver,
        });

    /// <summary>What <c>ipmitool -I lanplus</c> says about the chassis power ("on" or "off").</summary>
    public async Task<string> IpmitoolPowerStatusAsync(string cipherSuite = "3")
    {
        var result = await HostCommand.RunAsync("ipmitool", "-I", "lanplus", "-C", cipherSuite, "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-U", User, "-P", Password, "chassis", "power", "status");
        return result.Output.Trim() switch
        {
            "Chassis Power is on" => "on",
            "Chassis Power is off" => "off",
            var other => throw new InvalidOperationException($"ipmitool said: {other}"),
        };
    }

    public Task IpmitoolPowerAsync(string action) =>
        HostCommand.RunAsync("ipmitool", "-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-U", User, "-P", Password, "chassis", "power", action);

    /// <summary>The ids of live processes whose command line is exactly the power marker.</summary>
    public IReadOnlyList<int> MachineProcesses() => ProcessTable.Matching(a => string.Join(' ', a).Trim() == PowerMarker);

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var listening = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(10), "ss", "-lnuH", $"sport = :{Port}");
            if (listening.Output.Contains($":{Port}", StringComparison.Ordinal))
                return;
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"ipmi_sim did not listen on UDP {Port}: {process.Output}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        // ipmi_sim leaves its startcmd running when it exits; end this peer's own "machine" by pid
        foreach (var pid in MachineProcesses())
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        Directory.Delete(directory, recursive: true);
    }
}
