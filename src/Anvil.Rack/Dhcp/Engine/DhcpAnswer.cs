using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>What the engine decided for one request; <see cref="DhcpReplyBuilder"/> turns it into bytes.</summary>
internal readonly record struct DhcpAnswer(
    DhcpMessageType Type,
    ServedSubnet? Subnet,
    uint YourAddress,
    uint ClientAddress,
    int LeaseSeconds,
    ServedHost? Host,
    DhcpDropReason? Drop)
{
    public static DhcpAnswer Dropped(DhcpDropReason reason) => new(DhcpMessageType.None, null, 0, 0, 0, null, reason);

    public static DhcpAnswer Nak(ServedSubnet? subnet) => new(DhcpMessageType.Nak, subnet, 0, 0, 0, null, null);
}

/// <summary>Where a reply goes: an IPv4 address and UDP port, the limited broadcast for <see cref="Broadcast"/>.</summary>
internal readonly record struct ReplyDestination(uint Address, ushort Port)
{
    public const uint Broadcast = uint.MaxValue;

    /// <summary>
    /// RFC 2131 §4.1: to the relay when relayed; a NAK is broadcast; to ciaddr when the client has
    /// an address; otherwise broadcast (the server has no ARP entry for a client without an address).
    /// </summary>
    public static ReplyDestination For(DhcpPacket request, DhcpMessageType reply) =>
        request.RelayAddress != 0 ? new(request.RelayAddress, 67)
        : reply == DhcpMessageType.Nak || request.ClientAddress == 0 ? new(Broadcast, 68)
        : new(request.ClientAddress, 68);
}
