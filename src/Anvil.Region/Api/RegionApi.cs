using Anvil.Region.Api.Controllers;
using Anvil.Region.Api.Devices;
using Anvil.Region.Api.Dns;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Images;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Api.Machines;
using Anvil.Region.Api.Network;
using Anvil.Region.Api.Resources;
using Anvil.Region.Api.Scripts;
using Anvil.Region.Api.Storage;

namespace Anvil.Region.Api;

/// <summary>Every MAAS resource the region serves, one line per resource file.</summary>
internal static class RegionApi
{
    public static void Declare(ApiCatalogBuilder api)
    {
        MachinesApi.Map(api);
        DevicesApi.Map(api);
        RackControllersApi.Map(api);
        RegionControllersApi.Map(api);
        MaasApi.Map(api);
        AccountApi.Map(api);
        SshKeysApi.Map(api);
        UsersApi.Map(api);
        ZonesApi.Map(api);
        ResourcePoolsApi.Map(api);
        TagsApi.Map(api);
        EventsApi.Map(api);
        NotificationsApi.Map(api);
        FabricsApi.Map(api);
        VlansApi.Map(api);
        SpacesApi.Map(api);
        SubnetsApi.Map(api);
        IpRangesApi.Map(api);
        IpAddressesApi.Map(api);
        DomainsApi.Map(api);
        DnsResourcesApi.Map(api);
        DnsResourceRecordsApi.Map(api);
        StaticRoutesApi.Map(api);
        DhcpSnippetsApi.Map(api);
        InterfacesApi.Map(api);
        ScriptsApi.Map(api);
        ScriptResultsApi.Map(api);
        StorageApi.Map(api);
        BootResourcesApi.Map(api);
        BootSourcesApi.Map(api);
        BootTimelineApi.Map(api);
    }
}
