using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>The anonymous preseeds and by-id operations, and the admin's get_token.</summary>
public sealed class PreseedTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task Preseed_through_a_rack_points_at_the_rack_and_carries_the_nodes_credentials()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var viaRack = _md.AnonymousClient("http://10.20.0.1:5248/MAAS/metadata/");

        var response = await viaRack.GetAsync($"latest/by-id/{node.SystemId}/?op=get_preseed");

        var yaml = await response.ShouldBeTextAsync(HttpStatusCode.OK);
        yaml.ShouldStartWith("#cloud-config\n");
        yaml.ShouldContain("metadata_url: \"http://10.20.0.1:5248/MAAS/metadata/\"");
        yaml.ShouldContain($"consumer_key: \"{node.Key.ConsumerKey}\"");
        yaml.ShouldContain($"token_key: \"{node.Key.TokenKey}\"");
        yaml.ShouldContain($"token_secret: \"{node.Key.TokenSecret}\"");
        yaml.ShouldContain($"endpoint: \"http://10.20.0.1:5248/MAAS/metadata/status/{node.SystemId}\"");
        yaml.ShouldContain("maas: \"10.20.0.1:5247\"");
        yaml.ShouldContain("mode: \"poweroff\"");
        yaml.ShouldContain("timeout: 3600");
    }

    [Fact]
    public async Task Preseed_straight_from_the_region_points_at_the_region()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DISK_ERASING, NodeStatus.DEPLOYED);

        var yaml = await (await _md.AnonymousClient("http://region.example:5240/MAAS/metadata/").GetAsync($"latest/by-id/{node.SystemId}/?op=get_preseed"))
            .ShouldBeTextAsync(HttpStatusCode.OK);

        yaml.ShouldContain("metadata_url: \"http://region.example:5240/MAAS/metadata/\"");
        yaml.ShouldNotContain("rsyslog");
        yaml.ShouldContain("timeout: 604800");
    }

    [Theory]
    [InlineData(NodeStatus.COMMISSIONING, false, true)]
    [InlineData(NodeStatus.COMMISSIONING, true, false)]
    [InlineData(NodeStatus.TESTING, true, false)]
    [InlineData(NodeStatus.ENTERING_RESCUE_MODE, false, false)]
    [InlineData(NodeStatus.DEPLOYING, false, false)]
    [InlineData(NodeStatus.DISK_ERASING, false, true)]
    public async Task Preseed_powers_the_machine_off_at_the_end_unless_it_should_stay_up(NodeStatus status, bool enableSsh, bool powersOff)
    {
        var node = await _md.CreateMachineAsync(status);
        await _md.ExecuteAsync("UPDATE node SET enable_ssh = @enableSsh WHERE id = @id", new { enableSsh, id = node.Id });

        var yaml = await (await _md.AnonymousClient().GetAsync($"latest/by-id/{node.SystemId}/?op=get_preseed")).ShouldBeTextAsync(HttpStatusCode.OK);

        yaml.Contains("power_state:", StringComparison.Ordinal).ShouldBe(powersOff);
    }

    [Fact]
    public async Task Preseed_makes_the_node_key_once_even_when_asked_at_once()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await Api.Machines.MachineSetup.CreateNewAsync(admin);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _md.AnonymousClient().GetStringAsync($"latest/by-id/{systemId}/?op=get_preseed")));

        answers.Distinct().Count().ShouldBe(1);
        (await _md.ScalarAsync<long>("SELECT count(*) FROM node_key k JOIN node n ON n.id = k.node_id WHERE n.system_id = @systemId", new { systemId })).ShouldBe(1);
    }

    [Fact]
    public async Task Preseed_of_an_unknown_node_is_404()
    {
        await (await _md.AnonymousClient().GetAsync("latest/by-id/nosuch/?op=get_preseed")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Enlistment_preseed_has_the_metadata_url_and_no_credentials()
    {
        var yaml = await (await _md.AnonymousClient("http://10.20.0.1:5248/MAAS/metadata/").GetAsync("latest/enlist-preseed/?op=get_enlist_preseed"))
            .ShouldBeTextAsync(HttpStatusCode.OK);

        yaml.ShouldContain("metadata_url: \"http://10.20.0.1:5248/MAAS/metadata/\"");
        yaml.ShouldNotContain("token_key");
        yaml.ShouldContain("timeout: 1800");
    }

    [Fact]
    public async Task Netboot_off_by_id_is_anonymous_and_recorded()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);

        await (await _md.AnonymousClient().PostAsync($"latest/by-id/{node.SystemId}/?op=netboot_off", null)).ShouldBeStatusAsync(HttpStatusCode.OK);

        (await _md.NodeAsync(node.Id)).Netboot.ShouldBeFalse();
        (await _md.EventTypesAsync(node.Id)).ShouldContain("NODE_INSTALLATION_FINISHED");
    }

    [Fact]
    public async Task Get_token_gives_an_admin_the_nodes_token_and_refuses_others()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.READY);
        var user = await host.CreateUserAsync();

        var token = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "get_token")).ShouldBeJsonAsync();
        await (await user.Client.GetOpAsync($"machines/{node.SystemId}/", "get_token")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        token.GetProperty("token_key").GetString().ShouldBe(node.Key.TokenKey);
        token.GetProperty("token_secret").GetString().ShouldBe(node.Key.TokenSecret);
        token.GetProperty("consumer_key").GetString().ShouldBe(node.Key.ConsumerKey);
    }
}
