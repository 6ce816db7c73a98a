namespace Anvil.Region.RackLink;

/// <summary>How racks reach this region: the URL it announces (e.g. <c>http://10.0.0.1:5240/MAAS</c>).</summary>
public sealed record RackLinkOptions(string PublicUrl)
{
    /// <summary>A rack not heard from for this long is dead: its VLANs' secondary racks take over DHCP.</summary>
    public TimeSpan RackDeadAfter { get; init; } = TimeSpan.FromSeconds(90);
}
