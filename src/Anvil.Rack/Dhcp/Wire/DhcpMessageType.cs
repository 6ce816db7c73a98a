namespace Anvil.Rack.Dhcp.Wire;

/// <summary>The DHCP message type (option 53, RFC 2132 §9.6).</summary>
internal enum DhcpMessageType : byte
{
    None = 0,
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
    Inform = 8,
}

internal static class DhcpMessageTypes
{
    /// <summary>The label value used in metrics (<c>type="discover"</c>).</summary>
    public static string MetricName(DhcpMessageType type) => type switch
    {
        DhcpMessageType.Discover => "discover",
        DhcpMessageType.Offer => "offer",
        DhcpMessageType.Request => "request",
        DhcpMessageType.Decline => "decline",
        DhcpMessageType.Ack => "ack",
        DhcpMessageType.Nak => "nak",
        DhcpMessageType.Release => "release",
        DhcpMessageType.Inform => "inform",
        _ => "none",
    };
}
