using System.Net;
using Anvil.Domain.Power;
using Anvil.Lab.Fleet;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Ipmi;
using Anvil.Testing.Network;
using Xunit;

namespace Anvil.Lab.Tests.Fleet;

/// <summary>
/// The simulated BMC against real consoles on loopback: ipmitool (lanplus, cipher suite 3 and its
/// own suite choice) and Anvil's own IPMI driver from the rack.
/// </summary>
public sealed class SimulatedBmcTests
{
    private static readonly TimeSpan IpmitoolTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ipmitool_with_cipher_suite_3_reads_and_switches_the_power()
    {
        var chassis = new RecordingChassis();
        await using var bmc = Start(chassis, "admin", "s3cret-pw");

        (await Ipmitool(bmc, "s3cret-pw", "-C", "3", "chassis", "power", "status")).Output.ShouldContain("Chassis Power is off");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "3", "chassis", "power", "on")).Output.ShouldContain("Up/On");
        chassis.IsOn.ShouldBeTrue();
        (await Ipmitool(bmc, "s3cret-pw", "-C", "3", "chassis", "power", "status")).Output.ShouldContain("Chassis Power is on");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "3", "chassis", "power", "cycle")).Output.ShouldContain("Cycle");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "3", "chassis", "power", "off")).Output.ShouldContain("Down/Off");

        chassis.Actions.ShouldBe(["on", "cycle", "off"]);
        chassis.IsOn.ShouldBeFalse();
    }

    /// <summary>
    /// ipmitool is an independent implementation of suite 17 (RAKP-HMAC-SHA256, HMAC-SHA256-128,
    /// AES-CBC-128); the simulated BMC uses Anvil's own RAKP and session-key code, so this checks
    /// that code against a real peer (ipmi_sim on Debian 12 offers no SHA-256 suite).
    /// </summary>
    [Fact]
    public async Task Ipmitool_with_cipher_suite_17_reads_and_switches_the_power()
    {
        var chassis = new RecordingChassis();
        await using var bmc = Start(chassis, "admin", "s3cret-pw");

        (await Ipmitool(bmc, "s3cret-pw", "-C", "17", "chassis", "power", "status")).Output.ShouldContain("Chassis Power is off");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "17", "chassis", "power", "on")).Output.ShouldContain("Up/On");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "17", "chassis", "power", "status")).Output.ShouldContain("Chassis Power is on");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "17", "chassis", "power", "cycle")).Output.ShouldContain("Cycle");
        (await Ipmitool(bmc, "s3cret-pw", "-C", "17", "chassis", "power", "off")).Output.ShouldContain("Down/Off");

        chassis.Actions.ShouldBe(["on", "cycle", "off"]);
    }

    [Fact]
    public async Task Ipmitool_without_a_cipher_suite_finds_one_the_bmc_lists()
    {
        var chassis = new RecordingChassis();
        await using var bmc = Start(chassis, "admin", "pw");

        var result = await Ipmitool(bmc, "pw", "chassis", "power", "status");

        result.Output.ShouldContain("Chassis Power is off", customMessage: result.Error);
    }

    [Fact]
    public async Task Ipmitool_with_a_wrong_password_is_refused_and_nothing_switches()
    {
        var chassis = new RecordingChassis();
        await using var bmc = Start(chassis, "admin", "right");

        var result = await Ipmitool(bmc, "wrong", "-C", "3", "chassis", "power", "on");

        result.ExitCode.ShouldNotBe(0);
        chassis.Actions.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("3")]
    [InlineData("17")]
    public async Task Anvils_ipmi_driver_powers_the_simulated_machine_on_and_off_and_reads_its_state(string cipherSuite)
    {
        var chassis = new RecordingChassis();
        await using var bmc = Start(chassis, "maas", "driver-pw");
        var driver = new IpmiPowerDriver(new IpmiDriverOptions { RequestTimeout = TimeSpan.FromSeconds(2) });
        var parameters = Parameters(bmc, "driver-pw", cipherSuite);

        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        await driver.PowerOnAsync(parameters, CancellationToken.None);
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.On);
        // on while on does nothing: a running machine is never cycled
        await driver.PowerOnAsync(parameters, CancellationToken.None);
        await driver.SetNextBootPxeAsync(parameters, CancellationToken.None);
        await driver.PowerCycleAsync(parameters, CancellationToken.None);
        await driver.PowerOffAsync(parameters, CancellationToken.None);
        (await driver.QueryAsync(parameters, CancellationToken.None)).ShouldBe(PowerState.Off);

        chassis.Actions.ShouldBe(["on", "pxe", "cycle", "off"]);
    }

    [Fact]
    public async Task Anvils_ipmi_driver_with_a_wrong_password_fails_as_an_authentication_failure()
    {
        await using var bmc = Start(new RecordingChassis(), "maas", "right-pw");
        var driver = new IpmiPowerDriver(new IpmiDriverOptions { RequestTimeout = TimeSpan.FromSeconds(2) });

        var failure = await Should.ThrowAsync<PowerException>(() => driver.QueryAsync(Parameters(bmc, "wrong-pw"), CancellationToken.None));

        failure.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
    }

    private static SimulatedBmc Start(RecordingChassis chassis, string user, string password)
    {
        var bmc = new SimulatedBmc(new IPEndPoint(IPAddress.Loopback, 0), user, password, chassis);
        bmc.Start();
        return bmc;
    }

    private static PowerParameters Parameters(SimulatedBmc bmc, string password, string cipherSuite = "3") =>
        new(PowerDrivers.Ipmi, new Dictionary<string, string>
        {
            ["power_address"] = $"127.0.0.1:{bmc.Endpoint.Port}",
            ["power_user"] = bmc.User,
            ["power_pass"] = password,
            ["power_driver"] = "LAN_2_0",
            ["cipher_suite_id"] = cipherSuite,
            ["privilege_level"] = "ADMIN",
        });

    private static Task<CommandResult> Ipmitool(SimulatedBmc bmc, string password, params string[] command) =>
        HostCommand.TryRunAsync(IpmitoolTimeout, "ipmitool",
            ["-I", "lanplus", "-H", "127.0.0.1", "-p", bmc.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-U", bmc.User, "-P", password, "-N", "1", "-R", "2", .. command]);
}
