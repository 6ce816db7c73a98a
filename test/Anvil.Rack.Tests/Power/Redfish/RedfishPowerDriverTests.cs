using System.Net;
using System.Net.Sockets;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Redfish;
using Anvil.Rack.Tests.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Redfish;

public sealed class RedfishPowerDriverTests
{
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PowerOn_machine_that_is_off_resets_it_On()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "Off" });

        await Driver().PowerOnAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBe([("1", "On")]);
        bmc.PowerStateOf("1").ShouldBe("On");
    }

    [Fact]
    public async Task PowerOn_machine_that_is_already_on_sends_no_reset()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On" });

        await Driver().PowerOnAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBeEmpty();
        bmc.Requests.ShouldNotContain(r => r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal));
        bmc.PowerStateOf("1").ShouldBe("On");
    }

    [Fact]
    public async Task PowerOff_running_machine_forces_it_off()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On" });

        await Driver().PowerOffAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBe([("1", "ForceOff")]);
        bmc.PowerStateOf("1").ShouldBe("Off");
    }

    [Theory]
    [InlineData("On", PowerState.On)]
    [InlineData("Off", PowerState.Off)]
    [InlineData("PoweringOn", PowerState.On)]
    [InlineData("PoweringOff", PowerState.Off)]
    [InlineData("Paused", PowerState.Unknown)]
    public async Task Query_reports_the_systems_PowerState(string redfishState, PowerState expected)
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = redfishState });

        var state = await Driver().QueryAsync(Parameters(bmc), Deadline());

        state.ShouldBe(expected);
        bmc.Resets.ShouldBeEmpty();
    }

    [Fact]
    public async Task PowerCycle_running_machine_force_restarts_it()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On" });

        await Driver().PowerCycleAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBe([("1", "ForceRestart")]);
        bmc.PowerStateOf("1").ShouldBe("On");
    }

    [Fact]
    public async Task PowerCycle_machine_that_is_off_turns_it_on()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "Off" });

        await Driver().PowerCycleAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBe([("1", "On")]);
    }

    [Fact]
    public async Task Reset_types_are_chosen_from_those_the_system_allows()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On", AllowableResetTypes = ["On", "GracefulShutdown", "PowerCycle"] });
        var driver = Driver();

        await driver.PowerCycleAsync(Parameters(bmc), Deadline());
        await driver.PowerOffAsync(Parameters(bmc), Deadline());

        bmc.Resets.ShouldBe([("1", "PowerCycle"), ("1", "GracefulShutdown")]);
    }

    [Fact]
    public async Task Reset_without_an_allowed_type_is_NotSupported()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On", AllowableResetTypes = ["On", "Nmi"] });

        var error = await Should.ThrowAsync<PowerException>(() => Driver().PowerOffAsync(Parameters(bmc), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.NotSupported);
        error.Message.ShouldContain("On, Nmi");
        bmc.Resets.ShouldBeEmpty();
    }

    [Fact]
    public async Task Session_token_is_used_on_every_later_request_and_the_session_is_deleted()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "Off" });

        await Driver().PowerOnAsync(Parameters(bmc), Deadline());

        var token = bmc.IssuedTokens.ShouldHaveSingleItem();
        var requests = bmc.Requests.ToList();
        var login = requests.FindIndex(r => r.Method == "POST" && r.Path == "/redfish/v1/SessionService/Sessions");
        login.ShouldBeGreaterThanOrEqualTo(0);
        requests.Skip(login + 1).ShouldAllBe(r => r.Auth == FakeRedfishAuth.Session);
        requests.Skip(login + 1).Count().ShouldBeGreaterThanOrEqualTo(3); // system, reset, delete
        requests.Last().Method.ShouldBe("DELETE");
        bmc.DeletedSessions.ShouldBe([token]);
    }

    [Fact]
    public async Task Session_is_deleted_even_when_the_action_fails()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new());

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(bmc, ("node_id", "no-such-system")), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.InvalidParameters);
        error.Message.ShouldContain("no-such-system");
        bmc.DeletedSessions.Count.ShouldBe(1);
    }

    [Fact]
    public async Task BMC_without_sessions_gets_basic_authentication()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { OffersSessions = false, PowerState = "Off" });

        await Driver().PowerOnAsync(Parameters(bmc), Deadline());

        bmc.PowerStateOf("1").ShouldBe("On");
        bmc.IssuedTokens.ShouldBeEmpty();
        bmc.Requests.Where(r => r.Path != "/redfish/v1").ShouldAllBe(r => r.Auth == FakeRedfishAuth.Basic);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Wrong_password_is_AuthenticationFailed_and_the_message_keeps_the_password_out(bool sessions)
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { OffersSessions = sessions });
        const string wrong = "wrong-password-7f3a";

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(bmc, ("power_pass", wrong)), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
        error.Message.ShouldContain("anvil");
        error.Message.ShouldNotContain(wrong);
    }

    [Fact]
    public async Task Self_signed_certificate_is_refused_by_default()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new());
        var parameters = new PowerParameters(PowerDrivers.Redfish, new Dictionary<string, string>
        {
            ["power_address"] = bmc.Address,
            ["power_user"] = "anvil",
            ["power_pass"] = "whatever",
        });

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(parameters, Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.ProtocolError);
        error.Message.ShouldContain("power_verify_ssl=n");
        bmc.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Self_signed_certificate_is_accepted_with_power_verify_ssl_n()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On" });

        var state = await Driver().QueryAsync(Parameters(bmc, ("power_verify_ssl", "n")), Deadline());

        state.ShouldBe(PowerState.On);
    }

    [Theory]
    [InlineData("https://{0}")]
    [InlineData("https://{0}/redfish/v1/")]
    [InlineData("{0}")]
    public async Task Power_address_may_be_host_port_or_a_URL(string format)
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { PowerState = "On" });

        var state = await Driver().QueryAsync(Parameters(bmc, ("power_address", string.Format(format, bmc.Address))), Deadline());

        state.ShouldBe(PowerState.On);
    }

    [Fact]
    public async Task Closed_port_is_Unreachable()
    {
        var port = ClosedPort();

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters($"127.0.0.1:{port}", "pw"), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.Unreachable);
        error.Message.ShouldContain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task BMC_that_never_answers_is_Unreachable_when_the_deadline_passes()
    {
        // Accepts TCP connections (the kernel does, via the backlog) but never speaks TLS.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters($"127.0.0.1:{port}", "pw"), deadline.Token).WaitAsync(TestDeadline));

        error.Kind.ShouldBe(PowerErrorKind.Unreachable);
        error.Message.ShouldContain("deadline");
    }

    [Fact]
    public async Task BMC_with_several_systems_needs_node_id()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { Systems = 2 });

        var error = await Should.ThrowAsync<PowerException>(() => Driver().PowerOnAsync(Parameters(bmc), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.InvalidParameters);
        error.Message.ShouldContain("2 systems (1, 2)");
        error.Message.ShouldContain("node_id");
        bmc.Resets.ShouldBeEmpty();
    }

    [Fact]
    public async Task Node_id_picks_one_of_several_systems()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { Systems = 2, PowerState = "Off" });

        await Driver().PowerOnAsync(Parameters(bmc, ("node_id", "2")), Deadline());

        bmc.Resets.ShouldBe([("2", "On")]);
        bmc.PowerStateOf("1").ShouldBe("Off");
    }

    [Fact]
    public async Task SetNextBootPxe_patches_boot_override_once_with_the_systems_ETag()
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new());
        var etag = bmc.ETagOf("1");

        await Driver().SetNextBootPxeAsync(Parameters(bmc), Deadline());

        bmc.BootOverrideOf("1").ShouldBe(("Pxe", "Once"));
        bmc.Requests.Single(r => r.Method == "PATCH").IfMatch.ShouldBe(etag);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Logs_name_the_BMC_but_never_the_password_or_session_token(bool sessions)
    {
        await using var bmc = await FakeRedfishBmc.StartAsync(new() { OffersSessions = sessions, PowerState = "Off" });
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var driver = new RedfishPowerDriver(new RedfishDriverOptions(), factory.CreateLogger<RedfishPowerDriver>());

        await driver.PowerOnAsync(Parameters(bmc), Deadline());
        await driver.SetNextBootPxeAsync(Parameters(bmc), Deadline());

        logs.Messages.ShouldContain(m => m.EventId == 5503 && m.Message.Contains(bmc.Address, StringComparison.Ordinal));
        var secrets = bmc.IssuedTokens.Append(bmc.Password).ToList();
        logs.Messages.ShouldAllBe(m => secrets.All(s => !m.Message.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Power_parameters_without_a_password_are_InvalidParameters()
    {
        var parameters = new PowerParameters(PowerDrivers.Redfish, new Dictionary<string, string> { ["power_address"] = "127.0.0.1", ["power_user"] = "anvil" });

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(parameters, Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.InvalidParameters);
        error.Message.ShouldContain("power_pass");
    }

    private static RedfishPowerDriver Driver() => new(new RedfishDriverOptions(), NullLogger<RedfishPowerDriver>.Instance);

    private static CancellationToken Deadline() => new CancellationTokenSource(TestDeadline).Token;

    private static PowerParameters Parameters(FakeRedfishBmc bmc, params (string Name, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>
        {
            ["power_address"] = bmc.Address,
            ["power_user"] = "anvil",
            ["power_pass"] = bmc.Password,
            ["power_verify_ssl"] = "n",
        };
        foreach (var (name, value) in overrides)
            values[name] = value;
        return new PowerParameters(PowerDrivers.Redfish, values);
    }

    private static PowerParameters Parameters(string address, string password) =>
        new(PowerDrivers.Redfish, new Dictionary<string, string> { ["power_address"] = address, ["power_user"] = "anvil", ["power_pass"] = password, ["power_verify_ssl"] = "n" });

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
