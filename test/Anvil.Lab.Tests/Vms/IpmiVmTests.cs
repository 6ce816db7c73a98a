using System.Text.RegularExpressions;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Ipmi;
using Anvil.Testing.Network;
using Xunit;

namespace Anvil.Lab.Vms;

/// <summary>
/// A lab machine (ipmi_sim + qemu, <see cref="IpmiVm"/>) powered by Anvil's own IPMI driver
/// (RMCP+, cipher suite 3): on starts qemu, which network-boots through its NIC's iPXE ROM on a
/// bridge with no DHCP; off ends it; a cycle starts a new qemu; the serial console file keeps
/// every boot.
/// </summary>
public sealed partial class IpmiVmTests
{
    /// <summary>TCG under load: SeaBIOS reaches iPXE in a fraction of a second idle, much later on a busy host.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Anvils_ipmi_driver_powers_the_vm_on_off_and_cycles_it_and_the_console_keeps_every_boot()
    {
        await using var net = await BridgedTap.CreateAsync();
        var directory = Path.Combine(Path.GetTempPath(), $"anvil-ipmivm-{TestNames.Suffix()}");
        await using var vm = await IpmiVm.StartAsync(new IpmiVmSpec("t1", net.TapName, QemuVm.RandomMac(), LabFirmware.Bios, [], directory) { MemoryMiB = 256 });
        var driver = new IpmiPowerDriver(new IpmiDriverOptions());
        var parameters = Parameters(vm);

        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        vm.IsOn.ShouldBeFalse();

        await driver.PowerOnAsync(parameters, CancellationToken.None);
        await WaitUntilAsync(() => IpxeStarts(vm) >= 1 && vm.Console().Contains(vm.Mac, StringComparison.OrdinalIgnoreCase), "iPXE and its NIC on the console", vm);
        var first = vm.QemuPid.ShouldNotBeNull();
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.On);

        await driver.PowerOffAsync(parameters, CancellationToken.None);
        await WaitUntilAsync(() => !vm.IsOn, "qemu to exit", vm);
        LabProcesses.IsAlive(first).ShouldBeFalse();
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        (await vm.IpmitoolAsync("chassis", "power", "status")).ShouldContain("off");

        await driver.PowerOnAsync(parameters, CancellationToken.None);
        await WaitUntilAsync(() => IpxeStarts(vm) >= 2, "iPXE a second time", vm);
        var second = vm.QemuPid.ShouldNotBeNull();
        await driver.PowerCycleAsync(parameters, CancellationToken.None);
        await WaitUntilAsync(() => IpxeStarts(vm) >= 3, "iPXE after the power cycle", vm);

        vm.VmStarts.ShouldBe(3);
        vm.QemuPid.ShouldNotBeNull().ShouldNotBe(second);
        (await vm.IpmitoolAsync("chassis", "power", "status")).ShouldContain("on");
    }

    [Fact]
    public async Task Disposing_stops_ipmi_sim_and_its_running_qemu_and_deletes_the_work_directory()
    {
        await using var net = await BridgedTap.CreateAsync();
        var directory = Path.Combine(Path.GetTempPath(), $"anvil-ipmivm-{TestNames.Suffix()}");
        var vm = await IpmiVm.StartAsync(new IpmiVmSpec("t2", net.TapName, QemuVm.RandomMac(), LabFirmware.Bios, [], directory) { MemoryMiB = 256 });
        await vm.IpmitoolAsync("chassis", "power", "on");
        await WaitUntilAsync(() => vm.IsOn, "qemu to start", vm);
        var qemu = vm.QemuPid.ShouldNotBeNull();

        await vm.DisposeAsync();

        LabProcesses.IsAlive(vm.BmcPid).ShouldBeFalse();
        LabProcesses.IsAlive(qemu).ShouldBeFalse();
        Directory.Exists(directory).ShouldBeFalse();
    }

    private static PowerParameters Parameters(IpmiVm vm) =>
        new(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_driver"] = "LAN_2_0",
            ["power_address"] = vm.BmcAddress,
            ["power_user"] = vm.BmcUser,
            ["power_pass"] = vm.BmcPassword,
            ["cipher_suite_id"] = "3",
        });

    /// <summary>How many times the NIC's iPXE ROM has started, as the console shows it.</summary>
    private static int IpxeStarts(IpmiVm vm) => IpxeBanner().Count(vm.Console());

    private static async Task WaitUntilAsync(Func<bool> condition, string what, IpmiVm vm)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}. Console:\n{vm.Console()}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("iPXE initialising devices")]
    private static partial Regex IpxeBanner();
}
