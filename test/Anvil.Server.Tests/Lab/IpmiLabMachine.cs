using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Lab.Vms;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// One IPMI-powered lab VM as an operator drives it through anvild's API, and the checks every VM
/// test makes the same way: waiting for a status (failing at once on a Failed one), deploying the
/// Debian image with user data that calls the test back, and releasing with quick erase.
/// </summary>
internal sealed class IpmiLabMachine(PxeLab lab, IpmiVm vm, LabDisk disk, ITestOutputHelper output)
{
    /// <summary>One stage (commissioning, an install and first boot, an erase) under TCG on a loaded 2-core host.</summary>
    public static readonly TimeSpan StageWait = TimeSpan.FromMinutes(20);

    /// <summary>What the installed Debian's getty prints on the serial console.</summary>
    public const string LoginPrompt = " login: ";

    /// <summary>The stages installer.sh reports for a root tarball, as the region records them.</summary>
    private static readonly string[] InstallerStages = ["configuring storage", "writing the root file system", "configuring the installed system"];

    public string SystemId { get; set; } = "";

    public IpmiVm Vm => vm;

    /// <summary>Gives Anvil the BMC's credentials (IPMI 2.0, cipher suite 3).</summary>
    public async Task SetIpmiPowerAsync() =>
        (await lab.Admin.PutAsync($"machines/{SystemId}/", null, [
            new("power_type", "ipmi"), new("power_parameters_power_driver", "LAN_2_0"),
            new("power_parameters_power_address", vm.BmcAddress), new("power_parameters_power_user", vm.BmcUser),
            new("power_parameters_power_pass", vm.BmcPassword), new("power_parameters_cipher_suite_id", "3")])).StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>Commissions (tests as given), BMC configuration skipped: ipmi_sim's BMC has no LAN settings to write; waits for Ready with the VM off.</summary>
    public async Task<JsonElement> CommissionAsync(string testingScripts)
    {
        (await lab.Admin.PostAsync($"machines/{SystemId}/", "commission", [
            new("skip_bmc_config", "true"), new("testing_scripts", testingScripts)])).StatusCode.ShouldBe(HttpStatusCode.OK);
        return await WaitForAsync("Ready", () => !vm.IsOn, "commissioning, then power off");
    }

    /// <summary>
    /// Allocates and deploys Debian (the storage layout set first when given) with user data that
    /// calls the test back; returns once it called, the machine is Deployed and the installed OS's
    /// login prompt is on the console.
    /// </summary>
    public async Task<JsonElement> DeployAsync(string? layout)
    {
        if (layout is not null)
            (await lab.Admin.PostAsync($"machines/{SystemId}/", "set_storage_layout", [new("storage_layout", layout)])).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var marker = new MarkerListener(IPAddress.Parse(lab.Net.BridgeAddress));
        var token = Guid.NewGuid().ToString("N");
        var userData = $"#!/bin/sh\ncurl -s http://{lab.Net.BridgeAddress}:{marker.Port}/deployed/{token}/$(hostname)\n";
        var osBoots = Occurrences(vm.Console(), LoginPrompt);
        var started = DateTime.UtcNow;
        (await lab.Admin.PostAsync("machines/", "allocate", [new("system_id", SystemId)])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lab.Admin.PostAsync($"machines/{SystemId}/", "deploy", [
            new("distro_series", "debian/bookworm"),
            new("user_data", Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)))])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await marker.WaitAsync($"/deployed/{token}/", StageWait)).ShouldNotBeNull($"user_data never called back ({layout ?? "default"} layout)");
        output.WriteLine($"deploy → user_data called back ({layout ?? "default"} layout): {(DateTime.UtcNow - started).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
        var deployed = await WaitForAsync("Deployed", () => Occurrences(vm.Console(), LoginPrompt) > osBoots, $"deployment ({layout ?? "default"} layout)");
        deployed.GetProperty("power_state").GetString().ShouldBe("on");
        deployed.GetProperty("netboot").GetBoolean().ShouldBeFalse();
        // The installer reported its stages to the region's status webhook (DEBUG events, as in MAAS).
        var events = (await lab.Admin.GetAsync("events/", "query", [new("id", SystemId), new("level", "DEBUG"), new("limit", "1000")])).BodyText;
        foreach (var stage in InstallerStages)
            events.ShouldContain($"'curtin' {stage}");
        return deployed;
    }

    /// <summary>Releases with quick erase; waits for Ready with the VM off and checks that no partition table is left on the disk.</summary>
    public async Task<JsonElement> ReleaseWithQuickEraseAsync()
    {
        (await lab.Admin.PostAsync($"machines/{SystemId}/", "release", [new("erase", "true"), new("quick_erase", "true")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        var released = await WaitForAsync("Ready", () => !vm.IsOn, "erasing, then power off");
        released.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        var head = await LabImages.ReadDiskHeadAsync(disk, vm.WorkDirectory);
        (head[510] == 0x55 && head[511] == 0xAA).ShouldBeFalse("an MBR (or GPT protective MBR) is left on the disk");
        return released;
    }

    /// <summary>Waits until the machine is in <paramref name="status"/> and <paramref name="andThen"/> holds; fails at once on a failed status.</summary>
    public async Task<JsonElement> WaitForAsync(string status, Func<bool> andThen, string what)
    {
        var started = DateTime.UtcNow;
        var deadline = started + StageWait;
        while (true)
        {
            var machine = await lab.MachineAsync(SystemId);
            var now = machine.GetProperty("status_name").GetString()!;
            if (now == status && andThen())
            {
                output.WriteLine($"{what}: {(DateTime.UtcNow - started).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
                return machine;
            }

            if (now.StartsWith("Failed", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Waiting for {what}: the machine is '{now}' ({machine.GetProperty("error_description").GetString()}), expected '{status}'.");
            await Task.Delay(1000);
        }
    }

    public static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
