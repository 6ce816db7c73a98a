using System.Net;
using System.Net.Sockets;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Ipmi;
using Anvil.Rack.Tests.Power.Ipmi.Support;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Ipmi;

/// <summary>The driver against a real OpenIPMI ipmi_sim on loopback, each state cross-checked with ipmitool.</summary>
public sealed class IpmiPowerDriverRealPeerTests
{
    private static IpmiPowerDriver Driver() => new(new IpmiDriverOptions { RequestTimeout = TimeSpan.FromMilliseconds(500), Attempts = 3 });

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting until {what}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Query_power_on_cycle_off_with_cipher_suite_3_agree_with_ipmitool()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        var driver = Driver();
        var parameters = bmc.Parameters("3");

        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");

        await driver.PowerOnAsync(parameters, CancellationToken.None);
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.On);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
        await WaitForAsync(() => Task.FromResult(bmc.MachineProcesses().Count == 1), "the machine process runs");
        var machine = bmc.MachineProcesses().Single();

        await driver.PowerCycleAsync(parameters, CancellationToken.None);
        await WaitForAsync(() => Task.FromResult(bmc.MachineProcesses() is [var pid] && pid != machine), "the machine process was restarted");
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.On);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");

        await driver.PowerOffAsync(parameters, CancellationToken.None);
        await WaitForAsync(async () => await driver.QueryAsync(parameters, CancellationToken.None) == PowerState.Off, "the driver reads off");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");
        bmc.MachineProcesses().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ipmi15_lan_driver_queries_powers_on_and_off_in_agreement_with_ipmitool()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        var driver = Driver();
        var parameters = bmc.Parameters(driver: "LAN");

        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        await driver.PowerOnAsync(parameters, CancellationToken.None);
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.On);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
        await driver.PowerOffAsync(parameters, CancellationToken.None);
        await WaitForAsync(async () => await driver.QueryAsync(parameters, CancellationToken.None) == PowerState.Off, "the driver reads off");
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("off");
    }

    [Fact]
    public async Task Ipmi15_lan_driver_with_a_wrong_password_fails_with_AuthenticationFailed()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(bmc.Parameters(password: "wrong", driver: "LAN"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
    }

    [Fact]
    public async Task PowerOn_of_a_running_machine_leaves_it_running_without_a_cycle()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        await bmc.IpmitoolPowerAsync("on");
        await WaitForAsync(() => Task.FromResult(bmc.MachineProcesses().Count == 1), "the machine process runs");
        var machine = bmc.MachineProcesses().Single();

        await Driver().PowerOnAsync(bmc.Parameters(), CancellationToken.None);

        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
        bmc.MachineProcesses().ShouldBe([machine]);
    }

    [Fact]
    public async Task PowerCycle_of_a_machine_that_is_off_powers_it_up()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();

        await Driver().PowerCycleAsync(bmc.Parameters(), CancellationToken.None);

        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
    }

    [Fact]
    public async Task Admin_and_user_privilege_sessions_can_query()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        var driver = Driver();

        (await driver.QueryAsync(bmc.Parameters(privilege: "ADMIN"), CancellationToken.None)).ShouldBe(PowerState.Off);
        (await driver.QueryAsync(bmc.Parameters(user: "viewer", password: "viewerpw", privilege: "USER"), CancellationToken.None)).ShouldBe(PowerState.Off);
    }

    [Fact]
    public async Task Wrong_password_fails_with_AuthenticationFailed_naming_the_password()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(bmc.Parameters(password: "not-the-password"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
        failure.Message.ShouldContain("password is wrong");
    }

    [Fact]
    public async Task Unknown_user_fails_with_AuthenticationFailed()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(bmc.Parameters(user: "nobody"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
    }

    [Fact]
    public async Task Wrong_k_g_fails_with_AuthenticationFailed()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        var parameters = new PowerParameters(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_address"] = $"127.0.0.1:{bmc.Port}",
            ["power_user"] = IpmiSimPeer.User,
            ["power_pass"] = IpmiSimPeer.Password,
            ["k_g"] = "some-other-key",
        });

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(parameters, CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
    }

    [Fact]
    public async Task Cipher_suite_17_is_reported_NotSupported_by_ipmi_sim_which_lacks_RAKP_HMAC_SHA256()
    {
        // OpenIPMI 2.0.33's ipmi_sim offers no SHA-256 algorithms; ipmitool -C 17 fails against it the same way
        await using var bmc = await IpmiSimPeer.StartAsync();

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(bmc.Parameters("17"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.NotSupported);
        failure.Message.ShouldContain("cipher suite 17");
        (await HostCommandFails(bmc, "17")).ShouldBeTrue();
    }

    [Fact]
    public async Task Soft_power_off_which_ipmi_sim_refuses_is_NotSupported_and_leaves_the_machine_on()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();
        await bmc.IpmitoolPowerAsync("on");

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().PowerOffAsync(bmc.Parameters(offMode: "soft"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.NotSupported);
        (await bmc.IpmitoolPowerStatusAsync()).ShouldBe("on");
    }

    [Fact]
    public async Task SetNextBootPxe_which_ipmi_sim_refuses_is_NotSupported()
    {
        await using var bmc = await IpmiSimPeer.StartAsync();

        var failure = await Should.ThrowAsync<PowerException>(() => Driver().SetNextBootPxeAsync(bmc.Parameters(), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.NotSupported);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_Unreachable()
    {
        int port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        var parameters = new PowerParameters(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_address"] = $"127.0.0.1:{port}",
            ["power_user"] = "admin",
            ["power_pass"] = "password",
        });
        var driver = new IpmiPowerDriver(new IpmiDriverOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), Attempts = 2 });

        var failure = await Should.ThrowAsync<PowerException>(() => driver.QueryAsync(parameters, CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.Unreachable);
        failure.Message.ShouldContain("2 attempt(s)");
    }

    private static async Task<bool> HostCommandFails(IpmiSimPeer bmc, string cipherSuite)
    {
        try
        {
            await bmc.IpmitoolPowerStatusAsync(cipherSuite);
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
