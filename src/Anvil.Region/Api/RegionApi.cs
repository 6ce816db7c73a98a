using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Api;

/// <summary>Every MAAS resource the region serves, one line per resource file.</summary>
internal static class RegionApi
{
    public static void Declare(ApiCatalogBuilder api)
    {
        MachinesApi.Map(api);
    }
}
