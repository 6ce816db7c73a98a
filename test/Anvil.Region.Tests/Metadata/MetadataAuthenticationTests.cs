using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

public sealed class MetadataAuthenticationTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task Index_lists_both_versions()
    {
        var text = await (await _md.AnonymousClient().GetAsync("")).ShouldBeTextAsync(HttpStatusCode.OK);

        text.ShouldBe("2012-03-01\nlatest");
    }

    [Theory]
    [InlineData("latest/")]
    [InlineData("2012-03-01/")]
    [InlineData("/MAAS/metadata//latest/")]
    public async Task Version_index_of_a_node_lists_its_items(string path)
    {
        var node = await _md.CreateMachineAsync();

        var text = await (await node.Client.GetAsync(path)).ShouldBeTextAsync(HttpStatusCode.OK);

        text.ShouldBe("maas-commissioning-scripts\nmeta-data\nuser-data");
    }

    [Theory]
    [InlineData("2009-04-04/")]
    [InlineData("1.0/meta-data/instance-id")]
    public async Task An_unknown_version_is_404(string path)
    {
        var node = await _md.CreateMachineAsync();

        var text = await (await node.Client.GetAsync(path)).ShouldBeTextAsync(HttpStatusCode.NotFound);

        text.ShouldStartWith("Unknown metadata version");
    }

    [Fact]
    public async Task A_token_that_is_no_nodes_is_refused_with_403_and_a_date()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var client = _md.ClientFor(admin.Token.ConsumerKey, admin.Token.TokenKey, admin.Token.TokenSecret);

        var response = await client.GetAsync("latest/meta-data/instance-id");

        (await response.ShouldBeTextAsync(HttpStatusCode.Forbidden)).ShouldBe("Not authenticated as a known node.");
        response.Headers.Date.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_401()
    {
        var node = await _md.CreateMachineAsync();
        var client = _md.ClientFor(node.Key.ConsumerKey, node.Key.TokenKey, node.Key.TokenSecret + "x");

        var response = await client.GetAsync("latest/meta-data/instance-id");

        (await response.ShouldBeTextAsync(HttpStatusCode.Unauthorized)).ShouldContain("Invalid signature");
        response.Headers.Date.ShouldNotBeNull();
    }

    [Fact]
    public async Task Another_nodes_consumer_key_with_the_right_token_is_refused()
    {
        var node = await _md.CreateMachineAsync();
        var other = await _md.CreateMachineAsync();
        var client = _md.ClientFor(other.Key.ConsumerKey, node.Key.TokenKey, node.Key.TokenSecret);

        await (await client.GetAsync("latest/meta-data/instance-id")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_with_401_so_the_runner_corrects_its_clock()
    {
        var node = await _md.CreateMachineAsync();
        var skewed = new Anvil.Testing.ManualTimeProvider(host.Clock.GetUtcNow() - TimeSpan.FromHours(2));
        var client = new HttpClient(new OAuthPlaintextHandler(node.Key.ConsumerKey, node.Key.TokenKey, node.Key.TokenSecret, skewed)
        {
            InnerHandler = _md.AnonymousClientHandler(),
        })
        { BaseAddress = new Uri(MetadataHarness.Base) };

        var response = await client.GetAsync("latest/meta-data/instance-id");

        (await response.ShouldBeTextAsync(HttpStatusCode.Unauthorized)).ShouldContain("Expired timestamp");
        response.Headers.Date.ShouldNotBeNull();
    }

    [Fact]
    public async Task Unsigned_requests_get_the_enlistment_view()
    {
        var anonymous = _md.AnonymousClient();

        (await (await anonymous.GetAsync("latest/")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("meta-data\nuser-data");
        (await (await anonymous.GetAsync("latest/meta-data/")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("instance-id\nlocal-hostname");
        (await (await anonymous.GetAsync("latest/meta-data/instance-id")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("i-maas-enlistment");
        (await (await anonymous.GetAsync("enlist/latest/meta-data/local-hostname")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("maas-enlisting-node");
        (await (await anonymous.GetAsync("enlist/latest/")).ShouldBeTextAsync(HttpStatusCode.OK)).ShouldBe("meta-data\nuser-data");
    }

    [Fact]
    public async Task An_unsigned_signal_is_401()
    {
        var response = await MetadataHarness.SignalAsync(_md.AnonymousClient(), "OK");

        await response.ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task By_mac_access_is_refused()
    {
        await (await _md.AnonymousClient().GetAsync("latest/by-mac/52:54:00:00:00:01/meta-data/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }
}
