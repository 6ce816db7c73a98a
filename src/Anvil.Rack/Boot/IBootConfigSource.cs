using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>
/// Where the rack's boot servers learn what a client should boot. The rack's implementation asks
/// the region over the link and caches the answer, so that it keeps answering while no region is
/// reachable.
/// </summary>
public interface IBootConfigSource
{
    Task<BootConfig> GetAsync(BootRequest request, CancellationToken ct);
}
