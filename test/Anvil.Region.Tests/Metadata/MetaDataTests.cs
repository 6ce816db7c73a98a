using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

public sealed class MetaDataTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task Instance_id_and_local_hostname_are_the_nodes()
    {
        var node = await _md.CreateMachineAsync();
        var hostname = await _md.ScalarAsync<string>("SELECT hostname FROM node WHERE id = @id", new { id = node.Id });

        (await (await node.Client.GetAsync("latest/meta-data/instance-id")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe(node.SystemId);
        (await (await node.Client.GetAsync("latest/meta-data/local-hostname")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe($"{hostname}.maas");
    }

    [Fact]
    public async Task Listing_hides_public_keys_while_commissioning_without_ssh()
    {
        var owner = await host.CreateUserAsync();
        await _md.ExecuteAsync("INSERT INTO sshkey (user_id, key) VALUES (@id, 'ssh-ed25519 AAAA one')", new { id = owner.Id });
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING, ownerId: owner.Id);

        var listing = await (await node.Client.GetAsync("latest/meta-data/")).ShouldBeTextAsync(HttpStatusCode.OK);

        listing.ShouldBe("instance-id\nlocal-hostname\nvendor-data\nx509");
    }

    [Fact]
    public async Task Public_keys_are_the_owners_when_deployed()
    {
        var owner = await host.CreateUserAsync();
        await _md.ExecuteAsync(
            "INSERT INTO sshkey (user_id, key) VALUES (@id, 'ssh-ed25519 AAAA one'), (@id, 'ssh-rsa BBBB two')", new { id = owner.Id });
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYED, ownerId: owner.Id);

        var listing = await (await node.Client.GetAsync("latest/meta-data/")).ShouldBeTextAsync(HttpStatusCode.OK);
        var keys = await (await node.Client.GetAsync("latest/meta-data/public-keys")).ShouldBeTextAsync(HttpStatusCode.OK);

        listing.ShouldBe("instance-id\nlocal-hostname\npublic-keys\nvendor-data\nx509");
        keys.ShouldBe("ssh-ed25519 AAAA one\nssh-rsa BBBB two");
    }

    [Fact]
    public async Task Vendor_data_is_a_cloud_config_in_yaml()
    {
        var node = await _md.CreateMachineAsync();

        var response = await node.Client.GetAsync("latest/meta-data/vendor-data");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-yaml");
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("cloud-init: \"#cloud-config\\n");
    }

    [Fact]
    public async Task An_unknown_attribute_is_404()
    {
        var node = await _md.CreateMachineAsync();

        (await (await node.Client.GetAsync("latest/meta-data/ami-id")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("Unknown metadata attribute: ami-id");
    }
}
