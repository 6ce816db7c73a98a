using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Controllers;

/// <summary>The node filters that make sense for controllers (maas-api.md §3.4), as the listings declare them.</summary>
internal static class ControllerFilters
{
    public static ApiSpecItem[] Read() =>
    [
        Strings("hostname", "Only controllers with these hostnames."),
        Strings("id", "Only controllers with these system ids."),
        Strings("system_id", "Only controllers with these system ids."),
        Strings("mac_address", "Only controllers with these MAC addresses."),
        Strings("domain", "Only controllers in these domains."),
        Strings("zone", "Only controllers in these zones."),
        Strings("tags", "Only controllers with all these tags."),
        Strings("arch", "Only controllers with these architectures."),
    ];
}
