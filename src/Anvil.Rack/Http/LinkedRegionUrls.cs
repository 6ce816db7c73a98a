using Anvil.Rack.RegionLink;

namespace Anvil.Rack.Http;

/// <summary>The regions the rack is linked to, best first, as base URLs for the <c>/MAAS/</c> proxy.</summary>
internal sealed class LinkedRegionUrls(RegionLinks links) : IRegionUrls
{
    public IReadOnlyList<Uri> InPreferenceOrder() =>
        [.. links.RegionsInPreferenceOrder.Select(url => new Uri(new Uri(url).GetLeftPart(UriPartial.Authority) + "/"))];
}
