using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Metadata;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Tests.Monitoring;

/// <summary>
/// The status monitor's heartbeat check (maas-api.md §5.4): a commissioning or testing machine
/// whose current script set has not been heard from for <c>node_timeout</c> (30) minutes fails.
/// The clock only moves when a test moves it; the monitor only runs when a test runs it.
/// </summary>
public sealed class ScriptHeartbeatTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task A_commissioning_machine_silent_for_node_timeout_fails_and_its_unfinished_results_time_out()
    {
        var (node, setId, resultIds) = await BootedAsync(COMMISSIONING, ResultType.Commissioning, mayReboot: false);
        await _md.ExecuteAsync("UPDATE script_result SET status = @running WHERE id = @id", new { running = (int)ScriptStatus.Running, id = resultIds[0] });
        host.Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));

        var failed = await host.RunStatusMonitorAsync();

        failed.ShouldBeGreaterThanOrEqualTo(1);
        await ShouldHaveFailedAsync(node, FAILED_COMMISSIONING, "Node has not been heard from for the last 30 minutes");
        (await _md.ResultsAsync(setId)).Select(r => r.Status).ShouldAllBe(s => s == ScriptStatus.TimedOut);
    }

    [Fact]
    public async Task A_testing_machine_heard_from_within_node_timeout_is_left_alone_until_it_falls_silent()
    {
        var (node, setId, _) = await BootedAsync(TESTING, ResultType.Testing, mayReboot: false);
        host.Clock.Advance(TimeSpan.FromMinutes(20));
        // A heartbeat: every signal pings the set.
        await _md.ExecuteAsync("UPDATE script_set SET last_ping = @now WHERE id = @setId", new { now = host.Clock.GetUtcNow(), setId });
        host.Clock.Advance(TimeSpan.FromMinutes(29));

        await host.RunStatusMonitorAsync();

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(TESTING);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.RunStatusMonitorAsync();
        await ShouldHaveFailedAsync(node, FAILED_TESTING, "Node has not been heard from for the last 30 minutes");
    }

    [Fact]
    public async Task A_silent_machine_running_a_may_reboot_script_gets_the_boot_deadline_from_its_last_heartbeat_instead()
    {
        var (node, setId, resultIds) = await BootedAsync(COMMISSIONING, ResultType.Commissioning, mayReboot: true);
        await _md.ExecuteAsync("UPDATE script_result SET status = @running WHERE id = @id", new { running = (int)ScriptStatus.Running, id = resultIds[0] });
        // As stored: PostgreSQL keeps microseconds.
        var lastPing = await _md.ScalarAsync<DateTimeOffset>("SELECT last_ping FROM script_set WHERE id = @setId", new { setId });
        host.Clock.Advance(TimeSpan.FromMinutes(31));

        await host.RunStatusMonitorAsync();

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(COMMISSIONING);
        var expires = await _md.ScalarAsync<DateTimeOffset?>("SELECT status_expires FROM node WHERE id = @id", new { id = node.Id });
        expires.ShouldBe(lastPing + TimeSpan.FromMinutes(30));
        // The deadline has passed already: the next pass fails it as an operation timeout.
        await host.RunStatusMonitorAsync();
        await ShouldHaveFailedAsync(node, FAILED_COMMISSIONING, "Node operation 'Commissioning' timed out after 30 minutes.");
    }

    [Fact]
    public async Task A_machine_still_booting_is_left_to_its_boot_deadline()
    {
        var (node, _, _) = await BootedAsync(COMMISSIONING, ResultType.Commissioning, mayReboot: false);
        await _md.ExecuteAsync("UPDATE node SET status_expires = @later WHERE id = @id", new { later = host.Clock.GetUtcNow() + TimeSpan.FromHours(2), id = node.Id });
        host.Clock.Advance(TimeSpan.FromMinutes(45));

        await host.RunStatusMonitorAsync();

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(COMMISSIONING);
    }

    private async Task ShouldHaveFailedAsync(MetadataNodeUnderTest node, NodeStatus failed, string message)
    {
        var row = await _md.NodeAsync(node.Id);
        row.NodeStatus.ShouldBe(failed);
        row.ErrorDescription.ShouldBe(message);
    }

    /// <summary>A machine in <paramref name="status"/> whose current set of <paramref name="type"/> has two pending results and was pinged now.</summary>
    private async Task<(MetadataNodeUnderTest Node, long SetId, IReadOnlyList<long> ResultIds)> BootedAsync(NodeStatus status, ResultType type, bool mayReboot)
    {
        var scriptType = type == ResultType.Testing ? ScriptType.Testing : ScriptType.Commissioning;
        var (first, _) = await _md.AddScriptAsync(MetadataHarness.Unique("hb"), scriptType, mayReboot: mayReboot);
        var (second, _) = await _md.AddScriptAsync(MetadataHarness.Unique("hb"), scriptType);
        var node = await _md.CreateMachineAsync(status);
        var (setId, resultIds) = await _md.AddSetAsync(node.Id, type, first, second);
        await _md.ExecuteAsync("UPDATE node SET status_expires = NULL WHERE id = @id", new { id = node.Id });
        await _md.ExecuteAsync("UPDATE script_set SET last_ping = @now WHERE id = @setId", new { now = host.Clock.GetUtcNow(), setId });
        return (node, setId, resultIds);
    }
}
