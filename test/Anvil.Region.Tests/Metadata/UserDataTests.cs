using System.Net;
using System.Text;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

public sealed class UserDataTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task A_deploying_machine_asking_is_deployed_and_gets_its_user_data_decoded()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);
        var userData = "#cloud-config\npackages: [htop]\n";
        await _md.ExecuteAsync("UPDATE node SET deploy_user_data = @data WHERE id = @id", new { id = node.Id, data = Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)) });

        var response = await node.Client.GetAsync("latest/user-data");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        (await response.Content.ReadAsStringAsync()).ShouldBe(userData);
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.DEPLOYED);
        (await _md.EventTypesAsync(node.Id)).ShouldContain("DEPLOYED");
    }

    [Fact]
    public async Task The_installer_asking_through_the_curtin_path_gets_the_runner_and_the_machine_stays_deploying()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);
        await _md.ExecuteAsync("UPDATE node SET deploy_user_data = 'I2Nsb3VkLWNvbmZpZw==' WHERE id = @id", new { id = node.Id });

        var response = await node.Client.GetAsync("curtin/latest/user-data");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("/anvil/runner");
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.DEPLOYING);
    }

    [Fact]
    public async Task User_data_that_is_not_base64_is_sent_as_stored()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYED, NodeStatus.DEPLOYING);
        await _md.ExecuteAsync("UPDATE node SET deploy_user_data = '#!/bin/sh' WHERE id = @id", new { id = node.Id });

        (await (await node.Client.GetAsync("latest/user-data")).Content.ReadAsStringAsync()).ShouldBe("#!/bin/sh");
    }

    [Fact]
    public async Task A_deployed_machine_without_user_data_gets_404_and_no_listing_entry()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYED, NodeStatus.DEPLOYING);

        await (await node.Client.GetAsync("latest/user-data")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await (await node.Client.GetAsync("latest/")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("maas-commissioning-scripts\nmeta-data");
    }

    [Fact]
    public async Task A_commissioning_machine_gets_the_runner_and_an_event()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);

        var response = await node.Client.GetAsync("latest/user-data");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("exec /anvil/runner");
        (await _md.EventTypesAsync(node.Id)).ShouldContain("GATHERING_INFO");
    }

    [Fact]
    public async Task A_ready_machine_is_told_to_power_off()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.READY, NodeStatus.COMMISSIONING);

        (await (await node.Client.GetAsync("latest/user-data")).Content.ReadAsStringAsync()).ShouldContain("poweroff");
    }

    [Fact]
    public async Task An_enlisting_machine_gets_the_runner_anonymously()
    {
        var anonymous = _md.AnonymousClient();

        (await (await anonymous.GetAsync("latest/user-data")).Content.ReadAsStringAsync()).ShouldContain("/anvil/runner");
        (await (await anonymous.GetAsync("enlist/latest/user-data")).Content.ReadAsStringAsync()).ShouldContain("/anvil/runner");
    }
}
