using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Anvil.Client;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Ipmi;
using Anvil.Server.Support;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Anvil's own IPMI driver (RMCP+, cipher suite 3) against OpenIPMI's ipmi_sim wired to a real qemu
/// VM: power off ends the qemu process, power on has ipmi_sim start it again, and every state Anvil
/// reads agrees with <c>ipmitool -I lanplus -C 3</c> against the same BMC.
/// </summary>
public sealed class QemuIpmiPowerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Anvild_powers_a_qemu_vm_on_and_off_through_ipmi_sim_and_ipmitool_agrees_with_every_state()
    {
        await using var bmc = await IpmiSim.StartWithVmAsync();
        await using var anvild = await AnvildProcess.StartAsync();
        await anvild.WaitForRackAsync();
        var admin = Admin.Client(anvild);
        var systemId = await CreateDeployedAsync(admin, bmc);

        var before = await StateAsync(admin, systemId);
        before.ShouldBe("off");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");
        bmc.VmProcess().ShouldBeNull();

        var clock = Stopwatch.StartNew();
        await admin.PostAsync($"machines/{systemId}/", "power_on");
        var onCall = clock.Elapsed;
        var firstVm = await WaitForAsync(() => bmc.VmProcess(), "ipmi_sim to start the VM");
        (await StateAsync(admin, systemId)).ShouldBe("on");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");

        clock.Restart();
        await admin.PostAsync($"machines/{systemId}/", "power_off");
        var offCall = clock.Elapsed;
        await WaitUntilAsync(() => !ProcessAlive(firstVm), "the VM's qemu process to exit");
        var qemuGone = clock.Elapsed;
        (await StateAsync(admin, systemId)).ShouldBe("off");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");

        await admin.PostAsync($"machines/{systemId}/", "power_on");
        var secondVm = await WaitForAsync(() => bmc.VmProcess(), "ipmi_sim to start the VM again");
        (await StateAsync(admin, systemId)).ShouldBe("on");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
        secondVm.ShouldNotBe(firstVm);
        bmc.VmStarts.ShouldBe(2);
        (await Admin.MachineAsync(admin, systemId)).GetProperty("power_state").GetString().ShouldBe("on");

        await admin.PostAsync($"machines/{systemId}/", "power_off");
        await WaitUntilAsync(() => !ProcessAlive(secondVm), "the VM to stop again");
        output.WriteLine($"power_on API call {onCall.TotalMilliseconds:0} ms; power_off API call {offCall.TotalMilliseconds:0} ms, qemu gone {qemuGone.TotalMilliseconds:0} ms after the call began");
    }

    /// <summary>
    /// Statuses that wait for a power change end when the BMC reports it: a release powers the VM
    /// off and the machine is Ready; leaving rescue mode power-cycles a deployed machine and it is
    /// Deployed again once the BMC reads it on.
    /// </summary>
    [Fact]
    public async Task Release_and_leaving_rescue_mode_complete_when_the_bmc_reports_the_power_change()
    {
        await using var bmc = await IpmiSim.StartWithVmAsync();
        await using var anvild = await AnvildProcess.StartAsync();
        await anvild.WaitForRackAsync();
        var admin = Admin.Client(anvild);
        var systemId = await CreateDeployedAsync(admin, bmc);
        await admin.PostAsync($"machines/{systemId}/", "power_on");
        var vm = await WaitForAsync(() => bmc.VmProcess(), "ipmi_sim to start the VM");

        await admin.PostAsync($"machines/{systemId}/", "rescue_mode");
        (await Admin.MachineAsync(admin, systemId)).GetProperty("status_name").GetString().ShouldBe("Entering rescue mode");
        await WaitUntilAsync(() => bmc.VmStarts == 2, "the power cycle into the rescue environment");
        await admin.PostAsync($"machines/{systemId}/", "exit_rescue_mode");

        var back = await Admin.MachineAsync(admin, systemId);
        back.GetProperty("status_name").GetString().ShouldBe("Deployed");
        back.GetProperty("power_state").GetString().ShouldBe("on");
        await WaitUntilAsync(() => bmc.VmStarts == 3, "the power cycle back into the OS");
        (await WaitForAsync(() => bmc.VmProcess(), "the VM after the cycle")).ShouldNotBe(vm);

        var release = await admin.PostAsync($"machines/{systemId}/", "release");
        release.IsSuccessStatusCode.ShouldBeTrue(release.BodyText);
        var released = await Admin.MachineAsync(admin, systemId);
        released.GetProperty("status_name").GetString().ShouldBe("Ready");
        released.GetProperty("power_state").GetString().ShouldBe("off");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");
        var events = (await admin.GetAsync("events/", "query", [new("id", systemId), new("level", "DEBUG")])).BodyText;
        events.ShouldContain("Exited rescue mode");
        events.ShouldContain("Released");
    }

    private static async Task<string> CreateDeployedAsync(MaasClient admin, IpmiSim bmc)
    {
        var created = await admin.PostAsync("machines/", null, [
            new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("deployed", "true"), new("power_type", "ipmi"),
            new("power_parameters_power_driver", "LAN_2_0"), new("power_parameters_power_address", bmc.Address),
            new("power_parameters_power_user", IpmiSim.User), new("power_parameters_power_pass", IpmiSim.Password),
            new("power_parameters_cipher_suite_id", "3")]);
        return created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
    }

    [Fact]
    public async Task Soft_power_off_reaches_the_vm_as_its_acpi_power_button()
    {
        await using var bmc = await IpmiSim.StartWithVmAsync();
        var driver = new IpmiPowerDriver(new IpmiDriverOptions());
        await driver.PowerOnAsync(Parameters(bmc, offMode: "soft"), CancellationToken.None);
        await WaitForAsync(() => bmc.VmProcess(), "the VM to start");
        await using var qmp = await QmpEvents.ConnectAsync(bmc.QmpSocket);

        await driver.PowerOffAsync(Parameters(bmc, offMode: "soft"), CancellationToken.None);

        // SeaBIOS has no OS to act on the button, so the VM stays on: what a soft off can prove here is delivery.
        (await qmp.NextEventAsync(Wait)).ShouldBe("POWERDOWN");
        (await driver.QueryAsync(Parameters(bmc), CancellationToken.None)).ShouldBe(PowerState.On);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
    }

    [Fact]
    public async Task Pxe_on_next_boot_is_refused_by_ipmi_sim_and_ipmitool_is_refused_alike()
    {
        await using var bmc = await IpmiSim.StartWithVmAsync();
        var driver = new IpmiPowerDriver(new IpmiDriverOptions());
        await driver.PowerOnAsync(Parameters(bmc), CancellationToken.None);
        await WaitForAsync(() => bmc.VmProcess(), "the VM to start");

        var refused = await Should.ThrowAsync<PowerException>(driver.SetNextBootPxeAsync(Parameters(bmc), CancellationToken.None));
        var bootdev = await bmc.IpmitoolAsync("chassis", "bootdev", "pxe");
        var bootparam = await bmc.IpmitoolAsync("chassis", "bootparam", "get", "5");

        // OpenIPMI 2.0.33's ipmi_sim has no boot options: it answers Set/Get System Boot Options with "invalid data field".
        refused.Kind.ShouldBe(PowerErrorKind.NotSupported);
        (bootdev.Output + bootdev.Error).ShouldContain("Invalid data field in request");
        (bootparam.Output + bootparam.Error).ShouldContain("Invalid data field in request");
    }

    private static PowerParameters Parameters(IpmiSim bmc, string offMode = "hard") =>
        new(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_driver"] = "LAN_2_0",
            ["power_address"] = bmc.Address,
            ["power_user"] = IpmiSim.User,
            ["power_pass"] = IpmiSim.Password,
            ["cipher_suite_id"] = "3",
            ["power_off_mode"] = offMode,
        });

    private static async Task<string?> StateAsync(MaasClient admin, string systemId) =>
        (await admin.GetAsync($"machines/{systemId}/", "query_power_state")).ParseJson().RootElement.GetProperty("state").GetString();

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static async Task<int> WaitForAsync(Func<int?> probe, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            if (probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what) => await WaitForAsync(() => condition() ? 1 : null, what);

    /// <summary>The events a qemu VM reports on its QMP socket, one JSON object per line.</summary>
    private sealed class QmpEvents : IAsyncDisposable
    {
        private readonly Socket socket;
        private readonly StreamReader reader;

        private QmpEvents(Socket socket)
        {
            this.socket = socket;
            reader = new StreamReader(new NetworkStream(socket), Encoding.UTF8);
        }

        public static async Task<QmpEvents> ConnectAsync(string path)
        {
            await WaitUntilAsync(() => File.Exists(path), "the VM's QMP socket");
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var qmp = new QmpEvents(socket);
            await qmp.reader.ReadLineAsync();
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"execute\": \"qmp_capabilities\"}\n"));
            (await qmp.reader.ReadLineAsync())!.ShouldContain("return");
            return qmp;
        }

        public async Task<string> NextEventAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                var line = await reader.ReadLineAsync(cancel.Token) ?? throw new InvalidOperationException("qemu closed its QMP socket.");
                using var message = System.Text.Json.JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("event", out var name))
                    return name.GetString()!;
            }
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
