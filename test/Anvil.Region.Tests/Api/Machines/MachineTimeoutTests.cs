using Anvil.Domain.Machines;
using Anvil.Region.Monitoring;
using Anvil.Region.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// The status monitor fails operations that pass their deadline (maas-api.md §5.4). The host's
/// clock only moves when a test moves it, and the monitor only runs when a test runs it.
/// </summary>
public sealed class MachineTimeoutTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task A_deployment_still_running_after_node_timeout_fails_with_a_timeout_event()
    {
        var (user, systemId) = await DeployingMachineAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));

        var failed = await host.RunStatusMonitorAsync();

        failed.ShouldBeGreaterThanOrEqualTo(1);
        var machine = await (await user.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.FAILED_DEPLOYMENT);
        machine.GetProperty("error_description").GetString().ShouldBe("Node operation 'Deploying' timed out after 30 minutes.");
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        (await _machines.RowAsync(systemId)).StatusExpires.ShouldBeNull();
        var errors = await MachineSetup.EventsAsync(user, systemId, "ERROR");
        errors.ShouldContain(e => e.Type == "Node operation timed out" && e.Description == "Node operation 'Deploying' timed out after 30 minutes.");
        await MachineSetup.ShouldHaveStatusChangesAsync(user, systemId, "Ready -> Allocated", "Allocated -> Deploying", "Deploying -> Failed deployment");
    }

    [Fact]
    public async Task A_deployment_within_node_timeout_is_left_alone()
    {
        var (_, systemId) = await DeployingMachineAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(29));

        await host.RunStatusMonitorAsync();

        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.DEPLOYING);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.RunStatusMonitorAsync();
        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.FAILED_DEPLOYMENT);
    }

    [Fact]
    public async Task A_timed_out_deployment_can_be_released_by_its_owner()
    {
        var (user, systemId) = await DeployingMachineAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await host.RunStatusMonitorAsync();

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "release")).ShouldBeJsonAsync();

        machine.GetProperty("status").GetInt32().ShouldBe((int)NodeStatus.READY);
    }

    [Fact]
    public void The_status_monitor_is_wired_but_does_not_run_on_its_own_in_tests()
    {
        host.Services.GetRequiredService<StatusMonitor>().ShouldNotBeNull();
        host.Services.GetServices<IHostedService>().ShouldNotContain(s => s is StatusMonitor);
    }

    private async Task<(TestUser User, string SystemId)> DeployingMachineAsync()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);
        await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeJsonAsync();
        return (user, systemId);
    }
}
