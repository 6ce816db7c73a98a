using System.Globalization;
using System.Text;
using System.Text.Json;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// What a VM test needs to PXE-boot Anvil's ephemeral environment from a real anvild: a test
/// bridge with one tap (more on request), anvild with its rack on the bridge, a dynamic range and
/// DHCP on the bridge's VLAN, and the ephemeral image installed as a boot resource. Disposing
/// removes every tap, the bridge and anvild.
/// </summary>
internal sealed class PxeLab : IAsyncDisposable
{
    /// <summary>TCG boots take 10-30 s on an idle machine; the host is shared and often loaded.</summary>
    public static readonly TimeSpan BootWait = TimeSpan.FromSeconds(300);

    /// <summary>A whole commissioning run under TCG, several VMs at once on a loaded host.</summary>
    public static readonly TimeSpan CommissioningWait = TimeSpan.FromMinutes(12);

    /// <summary>The least timeout a script with a timeout gets in the lab (<see cref="RelaxScriptTimeoutsAsync"/>).</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long the region may take to act on what the VM reported.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly string[] Milestones =
    [
        "Configuring (net0", "Anvil: booting", "Linux version", "anvil-ephemeral: init start", "anvil-ephemeral: dhcp ok",
        "anvil-runner: enlisting", "anvil-runner: enlisted as", "anvil-ephemeral: poweroff",
    ];

    private readonly List<string> extraTaps = [];

    private PxeLab(BridgedTap net, AnvildProcess anvild)
    {
        Net = net;
        Anvild = anvild;
        Admin = Support.Admin.Client(anvild);
    }

    public BridgedTap Net { get; }

    public AnvildProcess Anvild { get; }

    public MaasClient Admin { get; }

    public static async Task<PxeLab> StartAsync(ITestOutputHelper output)
    {
        await ImageAsync(output);
        var net = await BridgedTap.CreateAsync();
        AnvildProcess? anvild = null;
        try
        {
            anvild = await AnvildProcess.StartAsync(rackInterfaces: net.BridgeName, rackHttpListen: $"http://{net.BridgeAddress}:5248");
            var lab = new PxeLab(net, anvild);
            await lab.EnableDhcpAsync();
            await lab.RelaxScriptTimeoutsAsync();
            await EphemeralImage.InstallAsync(Path.Combine(anvild.DataDir, "boot-resources"));
            return lab;
        }
        catch
        {
            if (anvild is not null)
                await anvild.DisposeAsync();
            await net.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds (or reuses) the ephemeral image and writes how long that took.</summary>
    public static async Task<EphemeralImage> ImageAsync(ITestOutputHelper output)
    {
        var image = await EphemeralImage.GetAsync();
        output.WriteLine($"{image.BuildLog}\n(image ready after {image.Elapsed.TotalSeconds:F1} s) kernel {image.KernelBytes:N0} bytes, initrd {image.InitrdBytes:N0} bytes");
        return image;
    }

    /// <summary>
    /// What an operator does for slow hardware (MAAS lets a built-in script's timeout be changed):
    /// every script with a timeout gets at least <see cref="ScriptTimeout"/>, since a TCG guest on
    /// a loaded 2-core host runs a 10 s script in minutes.
    /// </summary>
    public async Task RelaxScriptTimeoutsAsync()
    {
        var scripts = (await Admin.GetAsync("scripts/")).ParseJson().RootElement;
        foreach (var script in scripts.EnumerateArray())
        {
            var timeout = TimeSpan.Parse(script.GetProperty("timeout").GetString()!, CultureInfo.InvariantCulture);
            if (timeout > TimeSpan.Zero && timeout < ScriptTimeout)
            {
                await Admin.PutAsync(
                    $"scripts/{script.GetProperty("name").GetString()}", null, [new("timeout", ((int)ScriptTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture))]);
            }
        }
    }

    /// <summary>Another tap on the bridge, for a second VM; deleted with the lab.</summary>
    public async Task<string> AddTapAsync()
    {
        var tap = "avtq" + TestNames.Suffix();
        extraTaps.Add(tap);
        await HostCommand.RunAsync("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        await HostCommand.RunAsync("sysctl", "-qw", $"net.ipv6.conf.{tap}.disable_ipv6=1");
        await HostCommand.RunAsync("ip", "link", "set", tap, "master", Net.BridgeName);
        await HostCommand.RunAsync("ip", "link", "set", tap, "up");
        return tap;
    }

    /// <summary>A New machine with this MAC and manual power, not commissioning yet: an operator adding a known server.</summary>
    public async Task<string> CreateMachineAsync(string mac)
    {
        var created = await Admin.PostAsync("machines/", null, [new("architecture", "amd64/generic"), new("mac_addresses", mac), new("power_type", "manual"), new("commission", "false")]);
        return created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
    }

    public async Task<JsonElement> MachineAsync(string systemId) =>
        (await Admin.GetAsync($"machines/{systemId}/")).ParseJson().RootElement.Clone();

    public Task<JsonElement> WaitForMachineAsync(EphemeralVm vm) => WaitForMachineAsync(Anvild, Admin, vm);

    /// <summary>Polls the machine list until a machine owns the VM's MAC.</summary>
    public static async Task<JsonElement> WaitForMachineAsync(AnvildProcess anvild, MaasClient admin, EphemeralVm vm)
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
                throw new TimeoutException($"No machine with MAC {vm.Mac} after {BootWait}.{Diagnostics(anvild, vm)}");
            await Task.Delay(vm.HasExited ? 1000 : 250);
        }
    }

    /// <summary>Waits for the VM to power off, then for the machine to reach <paramref name="statusName"/>; returns the machine.</summary>
    public async Task<JsonElement> WaitForStatusAsync(EphemeralVm vm, string systemId, string statusName, TimeSpan vmWait)
    {
        (await vm.WaitForExitAsync(vmWait)).ShouldBeTrue($"VM {vm.Mac} did not power off in {vmWait}{Diagnostics(vm)}");
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var machine = await MachineAsync(systemId);
            if (machine.GetProperty("status_name").GetString() == statusName || DateTime.UtcNow > deadline)
            {
                machine.GetProperty("status_name").GetString().ShouldBe(statusName, Diagnostics(vm));
                return machine;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Waits, with the VM still running, for the machine to reach <paramref name="statusName"/>; returns the machine.</summary>
    public async Task<JsonElement> WaitForStatusWhileRunningAsync(EphemeralVm vm, string systemId, string statusName, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var machine = await MachineAsync(systemId);
            if (machine.GetProperty("status_name").GetString() == statusName)
                return machine;
            if (DateTime.UtcNow > deadline || vm.HasExited)
                throw new TimeoutException($"Machine {systemId} is '{machine.GetProperty("status_name").GetString()}', not '{statusName}'.{Diagnostics(vm)}");
            await Task.Delay(500);
        }
    }

    /// <summary>The serial console's milestones with their times, then the whole console.</summary>
    public static void Report(ITestOutputHelper output, EphemeralVm vm, string how)
    {
        var timings = new StringBuilder($"{how} milestones (s since qemu start):");
        foreach (var milestone in Milestones)
        {
            if (vm.SecondsUntil(milestone) is { } seconds)
                timings.Append(CultureInfo.InvariantCulture, $"\n  {seconds,8:F2}  {milestone}");
        }

        output.WriteLine(timings.ToString());
        output.WriteLine($"--- serial console ({vm.Mac}) ---\n{vm.SerialConsole}");
    }

    public string Diagnostics(params EphemeralVm[] vms) => Diagnostics(Anvild, vms);

    public static string Diagnostics(AnvildProcess anvild, params EphemeralVm[] vms) =>
        string.Concat(vms.Select(vm => $"\n--- serial console ({vm.Mac}) ---\n{vm.SerialConsole}")) + $"\n--- anvild output ---\n{anvild.Output}";

    /// <summary>A dynamic range on the subnet the rack registered for the bridge, and DHCP on for its VLAN with this rack as primary.</summary>
    public static async Task EnableDhcpAsync(AnvildProcess anvild, MaasClient admin, BridgedTap net)
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

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Anvild.DisposeAsync();
        foreach (var tap in extraTaps)
            await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "link", "del", tap);
        await Net.DisposeAsync();
    }

    private Task EnableDhcpAsync() => EnableDhcpAsync(Anvild, Admin, Net);
}
