namespace Anvil.Region.Racks;

/// <summary>
/// Connected when a region heard from the rack within the last <see cref="Window"/>: the link
/// touches last_seen far more often than that, so a rack silent for longer has lost it. Works
/// across several regions, since last_seen is shared through the database.
/// </summary>
internal sealed class LastSeenRackConnectionState(TimeProvider clock) : IRackConnectionState
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    public bool IsConnected(long nodeId, DateTimeOffset? lastSeen) =>
        lastSeen is { } seen && clock.GetUtcNow() - seen <= Window;
}
