using System.Net;
using System.Net.Sockets;
using System.Text;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Webhook;

public sealed class WebhookPowerDriverTests
{
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PowerOn_posts_power_on_uri_when_the_machine_is_off()
    {
        await using var target = await FakeWebhookTarget.StartAsync();

        await Driver().PowerOnAsync(Parameters(target), Deadline());

        target.Status.ShouldBe("running");
        target.Requests.Select(r => (r.Method, r.Path)).ShouldBe([("GET", "/status"), ("POST", "/on")]);
    }

    [Fact]
    public async Task PowerOn_machine_that_is_already_on_posts_nothing()
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.Status = "running";

        await Driver().PowerOnAsync(Parameters(target), Deadline());

        target.Requests.ShouldNotContain(r => r.Method == "POST");
    }

    [Fact]
    public async Task PowerOff_posts_power_off_uri()
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.Status = "running";

        await Driver().PowerOffAsync(Parameters(target), Deadline());

        target.Status.ShouldBe("stopped");
        target.Requests.ShouldContain(r => r.Method == "POST" && r.Path == "/off");
    }

    [Theory]
    [InlineData("running", PowerState.On)]
    [InlineData("stopped", PowerState.Off)]
    [InlineData("starting", PowerState.Unknown)]
    public async Task Query_matches_the_default_regexes_against_the_answer(string status, PowerState expected)
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.Status = status;

        var state = await Driver().QueryAsync(Parameters(target), Deadline());

        state.ShouldBe(expected);
        target.Requests.ShouldHaveSingleItem().ShouldBe(("GET", "/status", ""));
    }

    [Theory]
    [InlineData("starting", PowerState.On)]
    [InlineData("halted", PowerState.Off)]
    [InlineData("running", PowerState.Unknown)]
    public async Task Query_uses_the_machines_own_regexes(string status, PowerState expected)
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.Status = status;

        var state = await Driver().QueryAsync(Parameters(target, ("power_on_regex", "\"(starting|up)\""), ("power_off_regex", "halted")), Deadline());

        state.ShouldBe(expected);
    }

    [Fact]
    public async Task Invalid_regex_is_InvalidParameters()
    {
        await using var target = await FakeWebhookTarget.StartAsync();

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(target, ("power_on_regex", "status(")), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.InvalidParameters);
        error.Message.ShouldContain("power_on_regex");
    }

    [Fact]
    public async Task Power_token_is_sent_as_bearer_and_wins_over_user_and_password()
    {
        await using var target = await FakeWebhookTarget.StartAsync();

        await Driver().PowerOnAsync(Parameters(target, ("power_token", "tok-123"), ("power_user", "u"), ("power_pass", "p")), Deadline());

        target.Requests.Count.ShouldBe(2);
        target.Requests.ShouldAllBe(r => r.Authorization == "Bearer tok-123");
    }

    [Fact]
    public async Task Power_user_and_password_are_sent_as_basic()
    {
        await using var target = await FakeWebhookTarget.StartAsync();

        await Driver().PowerOffAsync(Parameters(target, ("power_user", "maas"), ("power_pass", "pa:ss")), Deadline());

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("maas:pa:ss"));
        target.Requests.ShouldHaveSingleItem().Authorization.ShouldBe(expected);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    [InlineData(302)]
    public async Task Non_2xx_answer_is_ProtocolError(int status)
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.FailWith = status;

        var error = await Should.ThrowAsync<PowerException>(() => Driver().PowerOffAsync(Parameters(target), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.ProtocolError);
        error.Message.ShouldContain($"HTTP {status}");
        error.Message.ShouldContain("power_off_uri");
    }

    [Fact]
    public async Task Refused_credentials_are_AuthenticationFailed_without_the_secret_in_the_message()
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.FailWith = 401;

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(target, ("power_token", "very-secret-token")), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.AuthenticationFailed);
        error.Message.ShouldNotContain("very-secret-token");
    }

    [Fact]
    public async Task Query_string_of_a_uri_is_kept_out_of_messages()
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.FailWith = 500;

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(target, ("power_query_uri", target.At("/status?key=hunter2").ToString())), Deadline()));

        error.Message.ShouldContain("/status");
        error.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task Closed_port_is_Unreachable()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var gone = new Uri($"http://127.0.0.1:{port}/");
        var parameters = new PowerParameters(PowerDrivers.Webhook, new Dictionary<string, string>
        {
            ["power_on_uri"] = new Uri(gone, "on").ToString(),
            ["power_off_uri"] = new Uri(gone, "off").ToString(),
            ["power_query_uri"] = new Uri(gone, "status").ToString(),
        });

        var error = await Should.ThrowAsync<PowerException>(() => Driver().PowerOnAsync(parameters, Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.Unreachable);
        error.Message.ShouldContain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task PowerCycle_turns_off_waits_for_off_then_turns_on()
    {
        await using var target = await FakeWebhookTarget.StartAsync();
        target.Status = "running";
        target.QueriesUntilStopped = 2;
        var driver = new WebhookPowerDriver(new WebhookDriverOptions { CyclePollInterval = TimeSpan.FromMilliseconds(10) }, NullLogger<WebhookPowerDriver>.Instance);

        await driver.PowerCycleAsync(Parameters(target), Deadline());

        target.Status.ShouldBe("running");
        target.Requests.Select(r => $"{r.Method} {r.Path}").ShouldBe(["GET /status", "POST /off", "GET /status", "GET /status", "POST /on"]);
    }

    [Fact]
    public async Task SetNextBootPxe_is_NotSupported()
    {
        await using var target = await FakeWebhookTarget.StartAsync();

        var error = await Should.ThrowAsync<PowerException>(() => Driver().SetNextBootPxeAsync(Parameters(target), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.NotSupported);
    }

    private static WebhookPowerDriver Driver() => new(new WebhookDriverOptions(), NullLogger<WebhookPowerDriver>.Instance);

    private static CancellationToken Deadline() => new CancellationTokenSource(TestDeadline).Token;

    private static PowerParameters Parameters(FakeWebhookTarget target, params (string Name, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>
        {
            ["power_on_uri"] = target.At("/on").ToString(),
            ["power_off_uri"] = target.At("/off").ToString(),
            ["power_query_uri"] = target.At("/status").ToString(),
        };
        foreach (var (name, value) in overrides)
            values[name] = value;
        return new PowerParameters(PowerDrivers.Webhook, values);
    }
}
