using System.Text.RegularExpressions;
using Anvil.Lab.Vms;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Rescue mode on a real VM (power type manual: the test is the operator at the power button):
/// the admin's SSH key is registered, <c>rescue_mode</c> makes the next PXE boot run the ephemeral
/// environment without powering off, the machine reaches Rescue mode, a real OpenSSH client logs
/// in as root with that key, and <c>exit_rescue_mode</c> returns the machine to New. The deployed
/// case (an IPMI-powered VM rebooted into its OS) is in the lifecycle test.
/// </summary>
public sealed partial class RescueModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_machine_in_rescue_mode_lets_its_owner_in_over_ssh_and_returns_to_its_status_after()
    {
        await using var lab = await PxeLab.StartAsync(output);
        using var key = await SshKey.CreateAsync(lab.Anvild.DataDir);
        (await lab.Admin.PostAsync("account/prefs/sshkeys/", null, [new("key", key.PublicKey)])).IsSuccessStatusCode.ShouldBeTrue();
        var mac = QemuVm.RandomMac();
        var systemId = await lab.CreateMachineAsync(mac);

        await lab.Admin.PostAsync($"machines/{systemId}/", "rescue_mode");
        (await lab.MachineAsync(systemId)).GetProperty("status_name").GetString().ShouldBe("Entering rescue mode");
        await using var vm = EphemeralVm.StartMachine(lab.Net.TapName, mac, LabFirmware.Bios, []);
        await lab.WaitForStatusWhileRunningAsync(vm, systemId, "Rescue mode", PxeLab.CommissioningWait);

        var address = await WaitForAddressAsync(vm, lab);
        var login = await key.RunAsync(address, "hostname; grep -c cloud-config-url /proc/cmdline; id -u");
        PxeLab.Report(output, vm, "rescue mode");
        login.ExitCode.ShouldBe(0, $"{login.Output}\n{login.Error}{lab.Diagnostics(vm)}");
        login.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([(await lab.MachineAsync(systemId)).GetProperty("hostname").GetString()!, "1", "0"]);
        // A key that is not the owner's is refused.
        using var stranger = await SshKey.CreateAsync(lab.Anvild.DataDir);
        (await stranger.RunAsync(address, "true")).ExitCode.ShouldNotBe(0);

        await lab.Admin.PostAsync($"machines/{systemId}/", "exit_rescue_mode");
        var after = await lab.MachineAsync(systemId);
        after.GetProperty("status_name").GetString().ShouldBe("New");
        after.GetProperty("owner").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    /// <summary>The address the environment's DHCP client got, from its console line.</summary>
    private static async Task<string> WaitForAddressAsync(EphemeralVm vm, PxeLab lab)
    {
        var deadline = DateTime.UtcNow + PxeLab.BootWait;
        while (DateTime.UtcNow < deadline)
        {
            if (DhcpOk().Match(vm.SerialConsole) is { Success: true } found)
                return found.Groups[1].Value;
            await Task.Delay(500);
        }

        throw new TimeoutException($"The VM never reported its address.{lab.Diagnostics(vm)}");
    }

    [GeneratedRegex(@"anvil-ephemeral: dhcp ok on \S+ addr=([0-9.]+)/")]
    private static partial Regex DhcpOk();
}
