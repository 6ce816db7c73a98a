using System.Net;
using System.Text;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>cloud-init's and curtin's reports to /MAAS/metadata/status/{system_id} (maas-api.md §7.5).</summary>
public sealed class StatusWebhookTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    private static Task<HttpResponseMessage> ReportAsync(HttpClient client, string systemId, string json) =>
        client.PostAsync($"status/{systemId}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_report_is_accepted_with_204_and_recorded_as_an_event()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);

        var response = await ReportAsync(node.Client, node.SystemId,
            """{"event_type": "start", "origin": "cloudinit", "name": "init-network/config-growpart", "description": "running config-growpart"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _md.EventsAsync(node.Id)).ShouldContain(("NODE_COMMISSIONING_EVENT", "'cloudinit' running config-growpart"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"event_type": "start", "origin": "cloudinit", "name": "x"}""")]
    [InlineData("""{"event_type": "start", "origin": "cloudinit", "name": "x", "description": "café"}""")]
    public async Task Malformed_reports_are_400(string json)
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);

        await (await ReportAsync(node.Client, node.SystemId, json)).ShouldBeStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unsigned_report_is_401_and_one_for_another_node_403()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var other = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        const string Json = """{"event_type": "start", "origin": "cloudinit", "name": "x", "description": "y"}""";

        await (await ReportAsync(_md.AnonymousClient(), node.SystemId, Json)).ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
        await (await ReportAsync(other.Client, node.SystemId, Json)).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_failed_top_level_finish_fails_deployment()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);

        await (await ReportAsync(node.Client, node.SystemId,
            """{"event_type": "finish", "origin": "curtin", "name": "cmd-install", "description": "curtin command install", "result": "FAIL"}"""))
            .ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.FAILED_DEPLOYMENT);
        (await _md.EventTypesAsync(node.Id)).ShouldContain("NODE_INSTALL_EVENT_FAILED");
    }

    [Fact]
    public async Task An_installer_stage_restarts_the_deployment_clock()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);
        await _md.ExecuteAsync("UPDATE node SET status_expires = now() - interval '1 minute' WHERE id = @id", new { id = node.Id });

        await (await ReportAsync(node.Client, node.SystemId,
            """{"event_type": "start", "origin": "curtin", "name": "cmd-install/stage-partitioning", "description": "partitioning"}"""))
            .ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await _md.ScalarAsync<bool>("SELECT status_expires > now() + interval '10 minutes' FROM node WHERE id = @id", new { id = node.Id })).ShouldBeTrue();
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.DEPLOYING);
    }

    [Fact]
    public async Task A_failed_stage_below_the_top_changes_nothing()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);

        await ReportAsync(node.Client, node.SystemId,
            """{"event_type": "finish", "origin": "cloudinit", "name": "modules-final/config-x", "description": "d", "result": "FAIL"}""");

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.COMMISSIONING);
    }

    [Fact]
    public async Task Modules_final_finishing_completes_a_release()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.RELEASING, NodeStatus.DEPLOYED);

        await ReportAsync(node.Client, node.SystemId,
            """{"event_type": "finish", "origin": "cloudinit", "name": "modules-final", "description": "d", "result": "SUCCESS"}""");

        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.READY);
    }

    [Fact]
    public async Task Files_in_a_report_are_stored_as_results_of_the_running_set()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);
        var content = Convert.ToBase64String([0x00, 0x01, 0xfe]);

        await (await ReportAsync(node.Client, node.SystemId,
            $$"""{"event_type": "finish", "origin": "curtin", "name": "cmd-install/stage-late", "description": "d", "result": "SUCCESS", "files": [{"path": "/tmp/install.log", "encoding": "base64", "content": "{{content}}"}]}"""))
            .ShouldBeStatusAsync(HttpStatusCode.NoContent);

        var setId = (await _md.CurrentSetsAsync(node.Id)).Installation.ShouldNotBeNull();
        var result = (await _md.ResultsAsync(setId)).Single();
        result.ScriptName.ShouldBe("/tmp/install.log");
        result.Output.ShouldBe(new byte[] { 0x00, 0x01, 0xfe });
        result.Status.ShouldBe(ScriptStatus.Passed);
    }
}
