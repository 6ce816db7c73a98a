namespace Anvil.Cli.Api;

public class CommandNamesTests
{
    // Every example given for the maas CLI in maas-api.md §13.
    [Theory]
    [InlineData("MachinesHandler", "machines")]
    [InlineData("MachineHandler", "machine")]
    [InlineData("RackControllersHandler", "rack-controllers")]
    [InlineData("BootSourceSelectionsHandler", "boot-source-selections")]
    [InlineData("DHCPSnippetsHandler", "dhcpsnippets")]
    [InlineData("DNSResourceRecordsHandler", "dnsresource-records")]
    [InlineData("DNSResourcesHandler", "dnsresources")]
    [InlineData("IPAddressesHandler", "ipaddresses")]
    [InlineData("IPRangesHandler", "ipranges")]
    [InlineData("SSHKeysHandler", "sshkeys")]
    [InlineData("SSLKeysHandler", "sslkeys")]
    [InlineData("NodeScriptResultsHandler", "node-script-results")]
    [InlineData("NodeScriptsHandler", "node-scripts")]
    [InlineData("NodeResultsHandler", "node-results")]
    [InlineData("ResourcePoolsHandler", "resource-pools")]
    [InlineData("ResourcePoolHandler", "resource-pool")]
    [InlineData("StaticRoutesHandler", "static-routes")]
    [InlineData("PackageRepositoriesHandler", "package-repositories")]
    [InlineData("VlansHandler", "vlans")]
    [InlineData("VolumeGroupsHandler", "volume-groups")]
    [InlineData("BlockDevicesHandler", "block-devices")]
    [InlineData("BcacheCacheSetsHandler", "bcache-cache-sets")]
    [InlineData("NodeDevicesHandler", "node-devices")]
    [InlineData("MaasHandler", "maas")]
    [InlineData("AccountHandler", "account")]
    [InlineData("VersionHandler", "version")]
    public void ForHandler_matches_the_maas_cli(string resourceName, string expected)
    {
        CommandNames.ForHandler(resourceName).ShouldBe(expected);
    }

    [Theory]
    [InlineData("read", "read")]
    [InlineData("set_storage_layout", "set-storage-layout")]
    [InlineData("create_authorisation_token", "create-authorisation-token")]
    public void ForAction_replaces_underscores_with_dashes(string actionName, string expected)
    {
        CommandNames.ForAction(actionName).ShouldBe(expected);
    }
}
