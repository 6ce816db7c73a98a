using Anvil.Domain.Power;
using Anvil.Rack.Power;
using Anvil.Testing;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power;

/// <summary>After a change the rack re-reads the BMC on MAAS's schedule (1, 2, 2, 4, 6, 8, 12 s) until it reports the state asked for.</summary>
public sealed class PowerActionsTests
{
    private static readonly Dictionary<string, string> Parameters = new() { ["power_address"] = "bmc.example" };

    [Fact]
    public async Task Power_on_rereads_on_maas_schedule_until_the_bmc_reports_on()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        // off right after the command, off at +1 s and +3 s, on at +5 s
        var bmc = new ScriptedBmc(clock, PowerState.Off, PowerState.Off, PowerState.Off, PowerState.On);
        var actions = new PowerActions(new PowerDriverRegistry([bmc]), TimeSpan.FromSeconds(30), clock);

        var run = actions.RunAsync("on", bmc.Description.Name, Parameters, CancellationToken.None);
        await AdvanceUntilDoneAsync(clock, run);

        (await run).ShouldBe(PowerState.On);
        bmc.Commands.ShouldBe(["on"]);
        bmc.QueriedAt.ShouldBe([0, 1, 3, 5]);
    }

    [Fact]
    public async Task Power_off_that_never_takes_effect_fails_with_StateNotReached_after_35_seconds_of_rereads()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        var bmc = new ScriptedBmc(clock, PowerState.On);
        var actions = new PowerActions(new PowerDriverRegistry([bmc]), TimeSpan.FromSeconds(30), clock);

        var run = actions.RunAsync("off", bmc.Description.Name, Parameters, CancellationToken.None);
        await AdvanceUntilDoneAsync(clock, run);

        var failure = await Should.ThrowAsync<PowerException>(run);
        failure.Kind.ShouldBe(PowerErrorKind.StateNotReached);
        failure.Message.ShouldContain("never transitioned from on to off");
        bmc.QueriedAt.ShouldBe([0, 1, 3, 5, 9, 15, 23, 35]);
    }

    [Fact]
    public async Task A_reread_that_is_not_answered_is_tried_again_at_the_next_pause()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        var bmc = new ScriptedBmc(clock, PowerState.Off, null, PowerState.On);
        var actions = new PowerActions(new PowerDriverRegistry([bmc]), TimeSpan.FromSeconds(30), clock);

        var run = actions.RunAsync("cycle", bmc.Description.Name, Parameters, CancellationToken.None);
        await AdvanceUntilDoneAsync(clock, run);

        (await run).ShouldBe(PowerState.On);
        bmc.QueriedAt.ShouldBe([0, 1, 3]);
    }

    [Fact]
    public async Task A_query_is_answered_at_once_without_rereads()
    {
        var clock = new ManualTimeProvider { ControlsTimers = true };
        var bmc = new ScriptedBmc(clock, PowerState.Off);
        var actions = new PowerActions(new PowerDriverRegistry([bmc]), TimeSpan.FromSeconds(30), clock);

        (await actions.RunAsync("query", bmc.Description.Name, Parameters, CancellationToken.None)).ShouldBe(PowerState.Off);
        bmc.QueriedAt.ShouldBe([0]);
    }

    /// <summary>Moves the clock a second at a time while the action waits on it.</summary>
    private static async Task AdvanceUntilDoneAsync(ManualTimeProvider clock, Task run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The power action did not finish.");
            if (clock.PendingTimers > 0)
                clock.Advance(TimeSpan.FromSeconds(1));
            else
                await Task.Delay(5);
        }
    }

    /// <summary>A BMC whose reads follow a script (null = no answer); the last entry repeats.</summary>
    private sealed class ScriptedBmc(ManualTimeProvider clock, params PowerState?[] reads) : IPowerDriver
    {
        private readonly DateTimeOffset start = clock.GetUtcNow();
        private int next;

        public PowerDriverDescription Description { get; } = new("scripted", "Scripted BMC", [new PowerField("power_address", "Address", Required: true)]);

        public List<string> Commands { get; } = [];

        /// <summary>Seconds on the test clock at which the state was read.</summary>
        public List<int> QueriedAt { get; } = [];

        public Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct)
        {
            QueriedAt.Add((int)(clock.GetUtcNow() - start).TotalSeconds);
            var read = reads[Math.Min(next++, reads.Length - 1)];
            return read is { } state ? Task.FromResult(state) : throw new PowerException(PowerErrorKind.Unreachable, "no answer");
        }

        public Task PowerOnAsync(PowerParameters parameters, CancellationToken ct) => Record("on");

        public Task PowerOffAsync(PowerParameters parameters, CancellationToken ct) => Record("off");

        public Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct) => Record("cycle");

        public Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct) => Record("pxe");

        private Task Record(string command)
        {
            Commands.Add(command);
            return Task.CompletedTask;
        }
    }
}
