using System.Collections.Concurrent;
using Anvil.Rpc;

namespace Anvil.Region.RackLink;

/// <summary>
/// The authenticated links racks hold to this region, by rack system_id, so the region can call a
/// rack (power, config pushes) over a link the rack opened. A rack may hold several links (its
/// pool); calls go to the least busy one.
/// </summary>
public sealed class RackConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<LinkConnection, byte>> byRack = new(StringComparer.Ordinal);

    public void Add(string systemId, LinkConnection connection) =>
        byRack.GetOrAdd(systemId, _ => new ConcurrentDictionary<LinkConnection, byte>())[connection] = 0;

    public void Remove(string systemId, LinkConnection connection)
    {
        if (byRack.TryGetValue(systemId, out var links))
            links.TryRemove(connection, out _);
    }

    public bool IsConnected(string systemId) => byRack.TryGetValue(systemId, out var links) && links.Keys.Any(l => l.IsOpen);

    public int CountFor(string systemId) => byRack.TryGetValue(systemId, out var links) ? links.Keys.Count(l => l.IsOpen) : 0;

    public IReadOnlyList<string> ConnectedRacks => [.. byRack.Where(r => r.Value.Keys.Any(l => l.IsOpen)).Select(r => r.Key).Order(StringComparer.Ordinal)];

    /// <summary>Calls the rack over its least busy link; throws <see cref="LinkException"/> when it has none to this region.</summary>
    public Task<T> CallAsync<T>(string systemId, string method, object? args, CancellationToken ct)
    {
        var link = byRack.TryGetValue(systemId, out var links)
            ? links.Keys.Where(l => l.IsOpen).OrderBy(l => l.InFlight).FirstOrDefault()
            : null;
        return link is null
            ? Task.FromException<T>(new LinkException($"Rack {systemId} has no link to this region."))
            : link.CallAsync<T>(method, args, ct);
    }
}
