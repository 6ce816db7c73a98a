namespace Anvil.Region.Racks;

/// <summary>Whether a rack controller is connected to the region now (<c>list_boot_images</c>'s <c>connected</c>).</summary>
public interface IRackConnectionState
{
    /// <param name="nodeId">The rack's node id.</param>
    /// <param name="lastSeen">When any region last heard from it over the link (node.last_seen), if ever.</param>
    bool IsConnected(long nodeId, DateTimeOffset? lastSeen);
}
