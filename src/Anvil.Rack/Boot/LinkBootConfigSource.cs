using System.Collections.Concurrent;
using Anvil.Domain.Boot;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Boot;

/// <summary>
/// Asks the region what a client boots, over the link, and remembers each answer: it is reused for
/// <c>freshFor</c> (zero unless configured: a machine's purpose changes with its status), and
/// without any reachable region the last answer for that client is used however old — the rack
/// keeps booting machines it knows while the regions are away.
/// </summary>
internal sealed class LinkBootConfigSource(
    Func<string, object?, CancellationToken, Task<BootConfig>> ask, Func<string?> systemId, TimeSpan freshFor, TimeProvider clock) : IBootConfigSource
{
    private readonly ConcurrentDictionary<string, (BootConfig Config, DateTimeOffset At)> answers = new(StringComparer.Ordinal);

    public async Task<BootConfig> GetAsync(BootRequest request, CancellationToken ct)
    {
        var key = $"{request.Mac}|{request.HardwareUuid}|{request.Arch}|{request.Subarch}|{request.LocalIp}";
        var now = clock.GetUtcNow();
        if (freshFor > TimeSpan.Zero && answers.TryGetValue(key, out var cached) && now - cached.At < freshFor)
            return cached.Config;
        var rack = systemId() ?? throw new LinkException("The rack has not registered with a region yet.");
        try
        {
            var config = await ask(LinkMethods.GetBootConfig, new BootConfigRequest(rack, request), ct);
            answers[key] = (config, now);
            return config;
        }
        catch (LinkException) when (answers.TryGetValue(key, out var stale))
        {
            return stale.Config;
        }
    }
}
