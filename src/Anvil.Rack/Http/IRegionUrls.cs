namespace Anvil.Rack.Http;

/// <summary>
/// The base URLs of the regions (e.g. <c>http://10.0.0.2:5240/</c>) that the rack forwards
/// <c>/MAAS/…</c> requests to, best first. Asked once per request, so the answer may change as the
/// rack learns of regions.
/// </summary>
internal interface IRegionUrls
{
    IReadOnlyList<Uri> InPreferenceOrder();
}

/// <summary>A list of region URLs fixed at start-up.</summary>
internal sealed class FixedRegionUrls(IReadOnlyList<Uri> urls) : IRegionUrls
{
    public IReadOnlyList<Uri> InPreferenceOrder() => urls;
}
