using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

/// <summary>
/// 30-maas-01-bmc-config against OpenIPMI's ipmi_sim on loopback: the script's ipmitool calls go
/// over LAN instead of /dev/ipmi0 (ANVIL_IPMITOOL), everything else is what runs on a machine.
/// </summary>
public sealed class BmcConfigScriptTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("anvil-bmcsim-").FullName;
    private readonly int port = FreeUdpPort();
    private Process? simulator;

    private string AdminIpmitool => $"ipmitool -I lanplus -H 127.0.0.1 -p {port} -U admin -P password -C 3";

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(directory, "lan.conf"), $"""
            name "anviltest"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 {port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              user 1 true  ""        "test"     user     10       none md2 md5 straight
              user 2 true  "admin"   "password" admin    10       none md2 md5 straight
            """);
        File.WriteAllText(Path.Combine(directory, "bmc.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            mc_enable 0x20
            """);
        Directory.CreateDirectory(Path.Combine(directory, "state"));
        var start = new ProcessStartInfo("ipmi_sim") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-c", Path.Combine(directory, "lan.conf"), "-f", Path.Combine(directory, "bmc.emu"), "-s", Path.Combine(directory, "state"), "-n" })
            start.ArgumentList.Add(a);
        simulator = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Ipmitool(AdminIpmitool, "mc info").ExitCode != 0)
            await Task.Delay(100, deadline.Token);
        Ipmitool(AdminIpmitool, "lan set 1 ipsrc static").ExitCode.ShouldBe(0);
        Ipmitool(AdminIpmitool, "lan set 1 ipaddr 192.0.2.77").ExitCode.ShouldBe(0);
    }

    public Task DisposeAsync()
    {
        if (simulator is { HasExited: false })
        {
            simulator.Kill(entireProcessTree: true);
            simulator.WaitForExit();
        }

        simulator?.Dispose();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void Creates_the_maas_user_and_reports_working_ipmi_power_parameters()
    {
        using var shell = new BusyboxShell("ipmitool");
        var configPath = Path.Combine(directory, "bmc-config.json");

        var result = shell.RunScript("30-maas-01-bmc-config", env: new Dictionary<string, string>
        {
            ["ANVIL_IPMITOOL"] = AdminIpmitool,
            ["BMC_CONFIG_PATH"] = configPath,
        });

        result.ExitCode.ShouldBe(0, result.ToString());
        // The runner's contract (ephemeral/runner.sh): one JSON object with both fields.
        using var reported = JsonDocument.Parse(File.ReadAllText(configPath));
        reported.RootElement.GetProperty("power_type").GetString().ShouldBe("ipmi");
        var parameters = reported.RootElement.GetProperty("power_parameters").Deserialize<Dictionary<string, string>>()!;
        parameters["power_driver"].ShouldBe("LAN_2_0");
        parameters["power_address"].ShouldBe("192.0.2.77");
        parameters["power_user"].ShouldBe("maas");
        parameters["power_pass"].Length.ShouldBe(16);
        parameters.Keys.ShouldBeSubsetOf(Anvil.Domain.Power.PowerDrivers.Ipmi.Fields.Select(f => f.Name));
        result.Stdout.ShouldNotContain(parameters["power_pass"]);
        result.Stderr.ShouldNotContain(parameters["power_pass"]);
        // The BMC now takes the reported credentials at administrator level.
        Ipmitool($"ipmitool -I lanplus -H 127.0.0.1 -p {port} -U maas -P {parameters["power_pass"]} -C 3 -L ADMINISTRATOR", "chassis status")
            .ExitCode.ShouldBe(0);
    }

    [Fact]
    public void A_bmc_without_an_address_is_set_up_but_reports_nothing_and_does_not_fail_the_machine()
    {
        using var shell = new BusyboxShell("ipmitool");
        var configPath = Path.Combine(directory, "bmc-config.json");
        Ipmitool(AdminIpmitool, "lan set 1 ipaddr 0.0.0.0").ExitCode.ShouldBe(0);

        var result = shell.RunScript("30-maas-01-bmc-config", env: new Dictionary<string, string>
        {
            ["ANVIL_IPMITOOL"] = AdminIpmitool,
            ["BMC_CONFIG_PATH"] = configPath,
            ["ANVIL_BMC_ADDRESS_WAIT"] = "0",
        });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("no address; its power parameters are not reported");
        File.Exists(configPath).ShouldBeFalse();
    }

    [Fact]
    public void Running_again_reuses_the_maas_slot_with_a_new_password()
    {
        using var shell = new BusyboxShell("ipmitool");
        var first = Path.Combine(directory, "first.yaml");
        var second = Path.Combine(directory, "second.yaml");

        shell.RunScript("30-maas-01-bmc-config", env: new Dictionary<string, string> { ["ANVIL_IPMITOOL"] = AdminIpmitool, ["BMC_CONFIG_PATH"] = first }).ExitCode.ShouldBe(0);
        shell.RunScript("30-maas-01-bmc-config", env: new Dictionary<string, string> { ["ANVIL_IPMITOOL"] = AdminIpmitool, ["BMC_CONFIG_PATH"] = second }).ExitCode.ShouldBe(0);

        File.ReadAllText(first).ShouldNotBe(File.ReadAllText(second));
        var users = Ipmitool(AdminIpmitool, "user list 1").Stdout.Split('\n').Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "maas", ..]);
        users.ShouldBe(1);
    }

    private static ShellResult Ipmitool(string command, string args)
    {
        var parts = (command + " " + args).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return BusyboxShell.Run(parts[0], parts[1..], new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
