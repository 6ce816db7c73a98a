using System.Net.Sockets;
using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Rack.Power.Qemu;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Qemu;

public sealed class QemuPowerDriverTests
{
    private static readonly TimeSpan TestDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Query_vm_started_with_S_is_off()
    {
        await using var vm = await QmpVm.StartAsync();

        var state = await Driver().QueryAsync(Parameters(vm.Socket), Deadline());

        state.ShouldBe(PowerState.Off);
    }

    [Fact]
    public async Task PowerOn_stopped_vm_continues_it()
    {
        await using var vm = await QmpVm.StartAsync();

        await Driver().PowerOnAsync(Parameters(vm.Socket), Deadline());

        (await vm.StatusAsync()).ShouldBe("running");
        (await Driver().QueryAsync(Parameters(vm.Socket), Deadline())).ShouldBe(PowerState.On);
        (await vm.EventsAsync()).ShouldBe(["RESUME"]);
    }

    [Fact]
    public async Task PowerOn_running_vm_is_left_alone()
    {
        await using var vm = await QmpVm.StartAsync();
        var driver = Driver();
        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());
        await vm.ClearEventsAsync();

        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBeEmpty();
        (await vm.StatusAsync()).ShouldBe("running");
    }

    [Fact]
    public async Task PowerOff_running_vm_stops_and_resets_it()
    {
        await using var vm = await QmpVm.StartAsync();
        var driver = Driver();
        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());
        await vm.ClearEventsAsync();

        await driver.PowerOffAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBe(["STOP", "RESET"]);
        (await vm.StatusAsync()).ShouldBe("prelaunch");
        (await driver.QueryAsync(Parameters(vm.Socket), Deadline())).ShouldBe(PowerState.Off);
    }

    [Fact]
    public async Task PowerOff_vm_that_is_off_does_nothing()
    {
        await using var vm = await QmpVm.StartAsync();

        await Driver().PowerOffAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task PowerOn_vm_paused_without_reset_resets_it_first()
    {
        await using var vm = await QmpVm.StartAsync();
        var driver = Driver();
        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());
        await using (var other = await QmpConnection.OpenAsync(vm.Socket, Deadline()))
            await other.ExecuteAsync("stop", Deadline());
        (await vm.StatusAsync()).ShouldBe("paused");
        await vm.ClearEventsAsync();

        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBe(["RESET", "RESUME"]);
        (await vm.StatusAsync()).ShouldBe("running");
    }

    [Fact]
    public async Task PowerCycle_running_vm_resets_it_and_it_keeps_running()
    {
        await using var vm = await QmpVm.StartAsync();
        var driver = Driver();
        await driver.PowerOnAsync(Parameters(vm.Socket), Deadline());
        await vm.ClearEventsAsync();

        await driver.PowerCycleAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBe(["RESET"]);
        (await vm.StatusAsync()).ShouldBe("running");
    }

    [Fact]
    public async Task PowerCycle_vm_that_is_off_starts_it()
    {
        await using var vm = await QmpVm.StartAsync();

        await Driver().PowerCycleAsync(Parameters(vm.Socket), Deadline());

        (await vm.EventsAsync()).ShouldBe(["RESET", "RESUME"]);
        (await vm.StatusAsync()).ShouldBe("running");
    }

    [Fact]
    public async Task Missing_socket_is_Unreachable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"anvil-no-such-{QmpVm.RandomName()}.sock");

        var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(path), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.Unreachable);
        error.Message.ShouldContain(path);
    }

    [Fact]
    public async Task Socket_that_does_not_speak_QMP_is_ProtocolError()
    {
        var folder = Directory.CreateTempSubdirectory("anvil-notqmp-").FullName;
        try
        {
            var path = Path.Combine(folder, "s.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            var server = Task.Run(async () =>
            {
                using var client = await listener.AcceptAsync();
                await client.SendAsync("220 hello, this is not QMP\r\n"u8.ToArray());
                await Task.Delay(TimeSpan.FromSeconds(5));
            });

            var error = await Should.ThrowAsync<PowerException>(() => Driver().QueryAsync(Parameters(path), Deadline()));

            error.Kind.ShouldBe(PowerErrorKind.ProtocolError);
            error.Message.ShouldContain(path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SetNextBootPxe_is_NotSupported()
    {
        var error = await Should.ThrowAsync<PowerException>(() => Driver().SetNextBootPxeAsync(Parameters("/nonexistent.sock"), Deadline()));

        error.Kind.ShouldBe(PowerErrorKind.NotSupported);
    }

    [Theory]
    [InlineData("running", PowerState.On)]
    [InlineData("suspended", PowerState.On)]
    [InlineData("prelaunch", PowerState.Off)]
    [InlineData("paused", PowerState.Off)]
    [InlineData("shutdown", PowerState.Off)]
    [InlineData("guest-panicked", PowerState.Error)]
    [InlineData("internal-error", PowerState.Error)]
    [InlineData("inmigrate", PowerState.Unknown)]
    [InlineData(null, PowerState.Unknown)]
    public void Run_states_map_to_power_states(string? status, PowerState expected) =>
        QemuRunState.ToPowerState(status).ShouldBe(expected);

    private static QemuPowerDriver Driver() => new(new QemuDriverOptions(), NullLogger<QemuPowerDriver>.Instance);

    private static CancellationToken Deadline() => new CancellationTokenSource(TestDeadline).Token;

    private static PowerParameters Parameters(string socket) =>
        new(PowerDrivers.Qemu, new Dictionary<string, string> { ["power_address"] = socket });
}
