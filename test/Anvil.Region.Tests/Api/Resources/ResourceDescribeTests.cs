using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

/// <summary>Clients bind to MAAS's handler names and paths as describe/ reports them (python-libmaas, the maas CLI).</summary>
public sealed class ResourceDescribeTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Theory]
    [InlineData("MaasHandler", "/MAAS/api/2.0/maas/", "get_config,set_config")]
    [InlineData("AccountHandler", "/MAAS/api/2.0/account/", "create_authorisation_token,delete_authorisation_token,list_authorisation_tokens,update_token_name")]
    [InlineData("SSHKeysHandler", "/MAAS/api/2.0/account/prefs/sshkeys/", "create,import,read")]
    [InlineData("SSHKeyHandler", "/MAAS/api/2.0/account/prefs/sshkeys/{id}/", "delete,read")]
    [InlineData("UsersHandler", "/MAAS/api/2.0/users/", "create,read,whoami")]
    [InlineData("UserHandler", "/MAAS/api/2.0/users/{username}/", "delete,read")]
    [InlineData("ZonesHandler", "/MAAS/api/2.0/zones/", "create,read")]
    [InlineData("ZoneHandler", "/MAAS/api/2.0/zones/{name}/", "delete,read,update")]
    [InlineData("ResourcePoolsHandler", "/MAAS/api/2.0/resourcepools/", "create,read")]
    [InlineData("ResourcePoolHandler", "/MAAS/api/2.0/resourcepool/{id}/", "delete,read,update")]
    [InlineData("TagsHandler", "/MAAS/api/2.0/tags/", "create,read")]
    [InlineData("TagHandler", "/MAAS/api/2.0/tags/{name}/", "delete,devices,machines,nodes,rack_controllers,read,rebuild,region_controllers,update,update_nodes")]
    [InlineData("EventsHandler", "/MAAS/api/2.0/events/", "query")]
    [InlineData("NotificationsHandler", "/MAAS/api/2.0/notifications/", "create,read")]
    [InlineData("NotificationHandler", "/MAAS/api/2.0/notifications/{id}/", "delete,dismiss,read,update")]
    [InlineData("BootTimelineHandler", "/MAAS/api/2.0/boot-timeline/", "read")]
    public async Task Describe_lists_the_handler_under_its_maas_name_path_and_actions(string name, string path, string actions)
    {
        using var client = host.AnonymousClient();

        using var describe = JsonDocument.Parse(await client.GetStringAsync("describe/"));

        var handler = describe.RootElement.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == name).GetProperty("auth");
        handler.GetProperty("path").GetString().ShouldBe(path);
        handler.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ShouldBe(actions.Split(','));
    }
}
