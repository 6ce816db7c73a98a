using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Region.Tests.Metadata;
using Anvil.Region.Tests.Support;
using Anvil.Region.Timeline;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Tests.Timeline;

/// <summary>The installer's progress reports (the status webhook) on the machine's boot timeline.</summary>
public sealed class InstallTimelineTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    private BootTimeline Timeline => host.Services.GetRequiredService<BootTimeline>();

    private async Task ReportAsync(HttpClient client, string systemId, string eventType, string name, string description, string? result = null, string origin = "curtin")
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["event_type"] = eventType,
            ["origin"] = origin,
            ["name"] = name,
            ["description"] = description,
            ["result"] = result,
        });
        var response = await client.PostAsync($"status/{systemId}", new StringContent(json, Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        // Each report a moment after the last, as an installer's are: the timeline orders by time.
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));
    }

    private async Task<List<(string Kind, string Detail)>> InstallRowsAsync(MetadataNodeUnderTest node)
    {
        await Timeline.FlushAsync(CancellationToken.None);
        var timeline = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "boot_timeline")).ShouldBeJsonAsync();
        return [.. timeline.EnumerateArray()
            .Where(e => e.GetProperty("stage").GetString() == "install")
            .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("detail").GetString()!))];
    }

    [Fact]
    public async Task A_failed_installation_s_timeline_names_the_stage_that_failed()
    {
        var node = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);

        await ReportAsync(node.Client, node.SystemId, "start", "cmd-install", "curtin command install");
        await ReportAsync(node.Client, node.SystemId, "start", "cmd-install/stage-partitioning", "configuring storage");
        await ReportAsync(node.Client, node.SystemId, "finish", "cmd-install/stage-partitioning", "no disk with serial QM0001", "FAIL");
        await ReportAsync(node.Client, node.SystemId, "finish", "cmd-install", "Installation failed: no disk with serial QM0001", "FAIL");

        (await InstallRowsAsync(node)).ShouldBe(
        [
            ("start", "cmd-install curtin command install"),
            ("start", "cmd-install/stage-partitioning configuring storage"),
            ("finish", "cmd-install/stage-partitioning FAIL no disk with serial QM0001"),
            ("finish", "cmd-install FAIL Installation failed: no disk with serial QM0001"),
        ]);
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(FAILED_DEPLOYMENT);
    }

    [Fact]
    public async Task A_successful_stage_is_a_start_and_a_finish_with_its_result()
    {
        var node = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);

        await ReportAsync(node.Client, node.SystemId, "start", "cmd-install/stage-extract", "writing the root file system");
        await ReportAsync(node.Client, node.SystemId, "finish", "cmd-install/stage-extract", "root file system written", "SUCCESS");

        (await InstallRowsAsync(node)).ShouldBe(
        [
            ("start", "cmd-install/stage-extract writing the root file system"),
            ("finish", "cmd-install/stage-extract SUCCESS root file system written"),
        ]);
    }

    [Fact]
    public async Task Cloud_init_reports_and_refused_reports_are_not_install_rows()
    {
        var node = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);
        var other = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);

        await ReportAsync(node.Client, node.SystemId, "start", "init-network/config-growpart", "running config-growpart", origin: "cloudinit");
        var refused = await other.Client.PostAsync(
            $"status/{node.SystemId}",
            new StringContent("""{"event_type": "start", "origin": "curtin", "name": "cmd-install", "description": "not yours"}""", Encoding.UTF8, "application/json"));

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await InstallRowsAsync(node)).ShouldBeEmpty();
        (await InstallRowsAsync(other)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_long_failure_reason_is_cut_and_the_report_still_succeeds()
    {
        var node = await _md.CreateMachineAsync(DEPLOYING, ALLOCATED);

        await ReportAsync(node.Client, node.SystemId, "finish", "cmd-install/stage-curthooks", new string('x', 5_000), "FAIL");

        var row = (await InstallRowsAsync(node)).ShouldHaveSingleItem();
        row.Detail.Length.ShouldBe(1_000);
        row.Detail.ShouldStartWith("cmd-install/stage-curthooks FAIL xxx");
    }
}
