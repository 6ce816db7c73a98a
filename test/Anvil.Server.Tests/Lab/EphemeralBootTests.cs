using System.Globalization;
using System.Text;
using System.Text.Json;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Anvil's ephemeral environment (scripts/ephemeral.sh, built from Debian's packages) booting in
/// a real qemu VM under TCG and enlisting itself with a real anvild: booted directly with
/// <c>-kernel/-initrd/-append</c> (fast: user networking that reaches the region's loopback port
/// only), and PXE-booted by iPXE from the rack on a test bridge with the rack's own DHCP,
/// iPXE script and kernel command line. Either way an unknown VM must end up a New machine with
/// its MAC and architecture. The serial console, with seconds since qemu started, is the output.
/// </summary>
public sealed class EphemeralBootTests(ITestOutputHelper output)
{
    /// <summary>TCG boots take 10-30 s on an idle machine; the host is shared and often loaded.</summary>
    private static readonly TimeSpan BootWait = TimeSpan.FromSeconds(300);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly string[] Milestones =
    [
        "Configuring (net0", "Anvil: booting", "Linux version", "anvil-ephemeral: init start", "anvil-ephemeral: dhcp ok",
        "anvil-runner: enlisting", "anvil-runner: enlisted as", "anvil-ephemeral: poweroff",
    ];

    [Fact]
    public async Task An_unknown_vm_booted_directly_enlists_itself_as_a_new_machine_with_its_mac_and_architecture()
    {
        var image = await ImageAsync();
        await using var anvild = await AnvildProcess.StartAsync();
        var admin = Admin.Client(anvild);
        var mac = QemuVm.RandomMac();
        // What the rack would put on the command line for an unknown machine (maas-api.md §8.3).
        var preseed = $"http://{EphemeralVm.ForwardedHost}/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed";

        await using var vm = EphemeralVm.StartDirect(image, anvild.Port, $"nomodeset ip=::::maas-enlist:BOOTIF:dhcp ip6=off cloud-config-url={preseed}", mac);
        var machine = await WaitForMachineAsync(admin, vm, () => Diagnostics(vm, anvild));

        await AssertEnlistedAsync(machine, vm, () => Diagnostics(vm, anvild));
        Report(vm, "direct boot");
    }

    [Fact]
    public async Task An_unknown_vm_pxe_booted_by_the_rack_runs_the_ephemeral_environment_and_enlists_as_a_new_machine()
    {
        var image = await ImageAsync();
        await using var net = await BridgedTap.CreateAsync();
        await using var anvild = await AnvildProcess.StartAsync(rackInterfaces: net.BridgeName, rackHttpListen: $"http://{net.BridgeAddress}:5248");
        var admin = Admin.Client(anvild);
        await EnableDhcpAsync(anvild, admin, net);
        await EphemeralImage.InstallAsync(Path.Combine(anvild.DataDir, "boot-resources"));

        await using var vm = EphemeralVm.StartNetworkBoot(net.TapName);
        var machine = await WaitForMachineAsync(admin, vm, () => Diagnostics(vm, anvild));

        await AssertEnlistedAsync(machine, vm, () => Diagnostics(vm, anvild));
        // The rack served Anvil's image and the command line carried the rack's enlistment preseed.
        anvild.Output.ShouldContain("GET /images/anvil/amd64/generic/ephemeral/stable/boot-initrd 200", customMessage: Diagnostics(vm, anvild));
        vm.SerialConsole.ShouldContain($"anvil-runner: preseed http://{net.BridgeAddress}:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed", customMessage: Diagnostics(vm, anvild));
        Report(vm, "PXE boot");
    }

    /// <summary>
    /// The whole commissioning path on a VM: an unknown VM with a disk (serial set in qemu) PXE-boots,
    /// enlists, runs the enlistment scripts and powers off as a New machine with its inventory; then
    /// <c>commission</c> and a second boot (the operator's, power type manual) run commissioning and
    /// the default tests, and the machine is Ready with qemu's CPU count, memory, disk and MAC.
    /// </summary>
    [Fact]
    public async Task A_pxe_booted_vm_enlists_with_its_inventory_and_commissioning_brings_it_to_ready()
    {
        var image = await ImageAsync();
        await using var net = await BridgedTap.CreateAsync();
        await using var anvild = await AnvildProcess.StartAsync(rackInterfaces: net.BridgeName, rackHttpListen: $"http://{net.BridgeAddress}:5248");
        var admin = Admin.Client(anvild);
        await EnableDhcpAsync(anvild, admin, net);
        await EphemeralImage.InstallAsync(Path.Combine(anvild.DataDir, "boot-resources"));
        var disk = Path.Combine(anvild.DataDir, "vm-disk.raw");
        await using (var file = File.Create(disk))
            file.SetLength(2L << 30);
        const string serial = "ANVILDISK0001";
        string[] drive = ["-drive", $"if=none,id=d0,file={disk},format=raw", "-device", $"virtio-blk-pci,drive=d0,serial={serial}"];
        var mac = QemuVm.RandomMac();

        JsonElement machine;
        await using (var vm = EphemeralVm.StartNetworkBoot(net.TapName, mac, drive))
        {
            machine = await WaitForMachineAsync(admin, vm, () => Diagnostics(vm, anvild));
            var systemId = machine.GetProperty("system_id").GetString()!;
            (await vm.WaitForExitAsync(BootWait)).ShouldBeTrue("the VM did not power off after enlisting" + Diagnostics(vm, anvild));
            machine = (await admin.GetAsync($"machines/{systemId}/")).ParseJson().RootElement.Clone();
            Report(vm, "enlistment");
            machine.GetProperty("status_name").GetString().ShouldBe("New", Diagnostics(vm, anvild));
            machine.GetProperty("cpu_count").GetInt32().ShouldBe(1, Diagnostics(vm, anvild));
        }

        var id = machine.GetProperty("system_id").GetString()!;
        // A tag defined as XPath over lshw, on the system vendor qemu reports.
        await admin.PostAsync("tags/", null, [new("name", "qemu-vendor"), new("definition", "//node[@class='system']/vendor = 'QEMU'")]);
        await admin.PutAsync($"machines/{id}/", null, [new("power_type", "manual")]);
        await admin.PostAsync($"machines/{id}/", "commission");
        await using (var vm = EphemeralVm.StartNetworkBoot(net.TapName, mac, drive))
        {
            (await vm.WaitForExitAsync(BootWait)).ShouldBeTrue("the VM did not power off after commissioning" + Diagnostics(vm, anvild));
            Report(vm, "commissioning");
            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                machine = (await admin.GetAsync($"machines/{id}/")).ParseJson().RootElement.Clone();
                if (machine.GetProperty("status_name").GetString() == "Ready" || DateTime.UtcNow > deadline)
                    break;
                await Task.Delay(250);
            }

            machine.GetProperty("status_name").GetString().ShouldBe("Ready", Diagnostics(vm, anvild));
        }

        output.WriteLine($"Ready machine: {machine}");
        machine.GetProperty("cpu_count").GetInt32().ShouldBe(1);
        // qemu's RAM less what firmware and the kernel reserve: within 5 %.
        machine.GetProperty("memory").GetInt32().ShouldBeInRange((int)(EphemeralVm.MemoryMiB * 0.95), EphemeralVm.MemoryMiB);
        machine.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("mac_address").GetString()).ShouldContain(mac);
        var disks = machine.GetProperty("physicalblockdevice_set").EnumerateArray().ToList();
        disks.ShouldContain(d => d.GetProperty("serial").GetString() == serial && d.GetProperty("size").GetInt64() == 2L << 30);
        machine.GetProperty("tag_names").EnumerateArray().Select(t => t.GetString()).ShouldContain("qemu-vendor");

        // A user's testing script that fails: the machine ends Failed testing and its output is in the results.
        await admin.PostAsync("scripts/", null, [new("name", "anvil-fails"), new("type", "testing"), new("script", "#!/bin/sh\necho boom from the test\nexit 3\n")]);
        await admin.PostAsync($"machines/{id}/", "test", [new("testing_scripts", "anvil-fails")]);
        await using (var vm = EphemeralVm.StartNetworkBoot(net.TapName, mac, drive))
        {
            (await vm.WaitForExitAsync(BootWait)).ShouldBeTrue("the VM did not power off after testing" + Diagnostics(vm, anvild));
            Report(vm, "testing");
            var deadline = DateTime.UtcNow + Wait;
            while ((await admin.GetAsync($"machines/{id}/")).ParseJson().RootElement.GetProperty("status_name").GetString() != "Failed testing" && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            (await admin.GetAsync($"machines/{id}/")).ParseJson().RootElement.GetProperty("status_name").GetString().ShouldBe("Failed testing", Diagnostics(vm, anvild));
        }

        var results = (await admin.GetAsync($"nodes/{id}/results/", null, [new("type", "testing"), new("include_output", "true")])).BodyText;
        output.WriteLine($"testing results: {results}");
        var boom = Convert.ToBase64String(Encoding.UTF8.GetBytes("boom from the test"));
        (results.Contains("anvil-fails", StringComparison.Ordinal) && (results.Contains("boom from the test", StringComparison.Ordinal) || results.Contains(boom[..16], StringComparison.Ordinal)))
            .ShouldBeTrue(results);
    }

    private async Task<EphemeralImage> ImageAsync()
    {
        var image = await EphemeralImage.GetAsync();
        output.WriteLine($"{image.BuildLog}\n(image ready after {image.Elapsed.TotalSeconds:F1} s) kernel {image.KernelBytes:N0} bytes, initrd {image.InitrdBytes:N0} bytes");
        return image;
    }

    private static async Task AssertEnlistedAsync(JsonElement machine, EphemeralVm vm, Func<string> diagnostics)
    {
        var systemId = machine.GetProperty("system_id").GetString();
        machine.GetProperty("status_name").GetString().ShouldBe("New", diagnostics());
        machine.GetProperty("architecture").GetString().ShouldBe("amd64/generic", diagnostics());
        machine.GetProperty("interface_set").EnumerateArray().Select(i => i.GetProperty("mac_address").GetString()).ShouldContain(vm.Mac, diagnostics());
        // The region answers before the VM prints what it got.
        var deadline = DateTime.UtcNow + Wait;
        while (vm.SecondsUntil($"anvil-runner: enlisted as {systemId}") is null && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        vm.SerialConsole.ShouldContain($"anvil-runner: enlisted as {systemId}", customMessage: diagnostics());
    }

    /// <summary>Polls the machine list until a machine owns the VM's MAC.</summary>
    private static async Task<JsonElement> WaitForMachineAsync(MaasClient admin, EphemeralVm vm, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + BootWait;
        while (true)
        {
            var machines = (await admin.GetAsync("machines/")).ParseJson().RootElement;
            foreach (var machine in machines.EnumerateArray())
            {
                if (machine.GetProperty("interface_set").EnumerateArray().Any(i => i.GetProperty("mac_address").GetString() == vm.Mac))
                    return machine.Clone();
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No machine with MAC {vm.Mac} after {BootWait}.{diagnostics()}");
            await Task.Delay(vm.HasExited ? 1000 : 250);
        }
    }

    /// <summary>A dynamic range on the subnet the rack registered for the bridge, and DHCP on for its VLAN with this rack as primary.</summary>
    private static async Task EnableDhcpAsync(AnvildProcess anvild, MaasClient admin, BridgedTap net)
    {
        var rackId = await anvild.WaitForRackAsync();
        JsonElement? subnet = null;
        var deadline = DateTime.UtcNow + Wait;
        while (subnet is null)
        {
            var subnets = (await admin.GetAsync("subnets/")).ParseJson().RootElement;
            subnet = subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == net.Subnet.Cidr).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            if (subnet is null && DateTime.UtcNow > deadline)
                throw new TimeoutException($"The rack's subnet {net.Subnet.Cidr} did not appear.\n{anvild.Output}");
            await Task.Delay(100);
        }

        var subnetId = subnet.Value.GetProperty("id").GetInt64();
        var vlan = subnet.Value.GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [new("type", "dynamic"), new("subnet", subnetId.ToString(CultureInfo.InvariantCulture)), new("start_ip", net.Subnet.Host(100)), new("end_ip", net.Subnet.Host(199))]);
        await admin.PutAsync(
            $"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null, [new("dhcp_on", "true"), new("primary_rack", rackId)]);
        // The rack polls its config; the VM must not start before the server listens on the bridge.
        deadline = DateTime.UtcNow + Wait;
        while (!anvild.Output.Contains($"DHCP listening on {net.BridgeName}", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The DHCP server did not start on {net.BridgeName}.\n{anvild.Output}");
            await Task.Delay(100);
        }
    }

    private void Report(EphemeralVm vm, string how)
    {
        var timings = new StringBuilder($"{how} milestones (s since qemu start):");
        foreach (var milestone in Milestones)
        {
            if (vm.SecondsUntil(milestone) is { } seconds)
                timings.Append(CultureInfo.InvariantCulture, $"\n  {seconds,8:F2}  {milestone}");
        }

        output.WriteLine(timings.ToString());
        output.WriteLine($"--- serial console ---\n{vm.SerialConsole}");
    }

    private static string Diagnostics(EphemeralVm vm, AnvildProcess anvild) =>
        $"\n--- serial console ---\n{vm.SerialConsole}\n--- anvild output ---\n{anvild.Output}";
}
