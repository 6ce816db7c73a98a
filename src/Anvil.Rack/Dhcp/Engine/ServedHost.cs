using Anvil.Rack.Dhcp.Options;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>A host reservation compiled: MAC and address as numbers, snippet options encoded.</summary>
internal sealed class ServedHost
{
    public ServedHost(DhcpHostReservation reservation, ulong mac, ServedSubnet? subnet)
    {
        Reservation = reservation;
        Mac = mac;
        Address = (uint)reservation.Address.Value;
        Subnet = subnet;
        foreach (var option in reservation.Options)
        {
            if (option.Code is > 0 and < 255 && DhcpOptionEncoder.Encode(option) is { } value)
                Options[option.Code] = value;
        }
    }

    public DhcpHostReservation Reservation { get; }

    public ulong Mac { get; }

    public uint Address { get; }

    /// <summary>The served subnet that holds the address; null when none does (the reservation is then unused).</summary>
    public ServedSubnet? Subnet { get; }

    public byte[]?[] Options { get; } = new byte[]?[256];
}
