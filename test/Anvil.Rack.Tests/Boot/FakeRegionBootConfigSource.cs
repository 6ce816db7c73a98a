using System.Collections.Concurrent;
using Anvil.Domain.Boot;
using Anvil.Rack.Boot;

namespace Anvil.Rack.Tests.Boot;

/// <summary>
/// Stands in for the rack's link to the region: answers every <see cref="BootRequest"/> with
/// <see cref="Answer"/>, served from the rack address the client reached, and remembers the requests.
/// </summary>
internal sealed class FakeRegionBootConfigSource : IBootConfigSource
{
    public Func<BootRequest, BootConfig> Answer { get; set; } = request => BootConfigs.Commissioning() with
    {
        FsHost = request.LocalIp,
        LogHost = request.LocalIp,
        PreseedUrl = $"http://{request.LocalIp}:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed",
    };

    public ConcurrentQueue<BootRequest> Requests { get; } = new();

    public Task<BootConfig> GetAsync(BootRequest request, CancellationToken ct)
    {
        Requests.Enqueue(request);
        return Task.FromResult(Answer(request));
    }
}
