using System.Text.Json;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// <c>for_hardware</c> on real hardware ids: two PXE-booted VMs, one with qemu's virtio NIC
/// (PCI 1af4:1000) and one with its e1000 (PCI 8086:100e), commission with the same user scripts
/// requested by tag. The script for <c>pci:8086:100e</c> joins the set only once commissioning
/// has reported the e1000 VM's PCI devices, so it runs there and nowhere else; the control script
/// runs on both.
/// </summary>
public sealed class ForHardwareCommissioningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_for_hardware_script_runs_only_on_the_vm_whose_nic_has_its_pci_id()
    {
        await using var lab = await PxeLab.StartAsync(output);
        const string tag = "anvil-hwtest";
        await lab.Admin.PostAsync("scripts/", null, [
            new("name", "anvil-e1000-only"), new("type", "commissioning"), new("tags", tag), new("for_hardware", "pci:8086:100e"),
            new("script", "#!/bin/sh\necho running on the e1000 machine\n")]);
        await lab.Admin.PostAsync("scripts/", null, [
            new("name", "anvil-any-nic"), new("type", "commissioning"), new("tags", tag), new("script", "#!/bin/sh\necho running anywhere\n")]);

        var virtioMac = QemuVm.RandomMac();
        var e1000Mac = QemuVm.RandomMac();
        var virtioId = await lab.CreateMachineAsync(virtioMac);
        var e1000Id = await lab.CreateMachineAsync(e1000Mac);
        foreach (var id in new[] { virtioId, e1000Id })
            await lab.Admin.PostAsync($"machines/{id}/", "commission", [new("commissioning_scripts", tag), new("testing_scripts", "none")]);

        var secondTap = await lab.AddTapAsync();
        await using var virtio = EphemeralVm.StartNetworkBootWithNic(EphemeralVm.VirtioNic, lab.Net.TapName, virtioMac);
        await using var e1000 = EphemeralVm.StartNetworkBootWithNic(EphemeralVm.E1000Nic, secondTap, e1000Mac);
        try
        {
            await lab.WaitForStatusAsync(virtio, virtioId, "Ready", PxeLab.CommissioningWait);
            await lab.WaitForStatusAsync(e1000, e1000Id, "Ready", PxeLab.CommissioningWait);
        }
        finally
        {
            PxeLab.Report(output, virtio, "virtio commissioning");
            PxeLab.Report(output, e1000, "e1000 commissioning");
        }

        var onVirtio = await CommissioningResultsAsync(lab, virtioId);
        var onE1000 = await CommissioningResultsAsync(lab, e1000Id);
        var diagnostics = $"virtio: {Describe(onVirtio)}\ne1000: {Describe(onE1000)}";
        output.WriteLine(diagnostics);
        onE1000.GetValueOrDefault("anvil-e1000-only").ShouldBe("Passed", diagnostics);
        onE1000.GetValueOrDefault("anvil-any-nic").ShouldBe("Passed", diagnostics);
        onVirtio.GetValueOrDefault("anvil-any-nic").ShouldBe("Passed", diagnostics);
        onVirtio.ShouldNotContainKey("anvil-e1000-only", diagnostics);
        // The runners say what they started.
        e1000.SerialConsole.ShouldContain("starting anvil-e1000-only", customMessage: lab.Diagnostics(e1000));
        virtio.SerialConsole.ShouldNotContain("starting anvil-e1000-only", customMessage: lab.Diagnostics(virtio));
    }

    /// <summary>Script name → status name in the machine's current commissioning results.</summary>
    private static async Task<Dictionary<string, string>> CommissioningResultsAsync(PxeLab lab, string systemId)
    {
        var set = (await lab.Admin.GetAsync($"nodes/{systemId}/results/current-commissioning/")).ParseJson().RootElement;
        return set.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("status_name").GetString()!, StringComparer.Ordinal);
    }

    private static string Describe(Dictionary<string, string> results) =>
        JsonSerializer.Serialize(results);
}
