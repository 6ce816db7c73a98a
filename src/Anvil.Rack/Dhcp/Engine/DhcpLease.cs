using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

internal enum LeaseState
{
    /// <summary>Offered and held for the client until the offer times out.</summary>
    Offered,
    Bound,
    Expired,
    Released,

    /// <summary>A quarantined address a client declined (RFC 2131 §3.1.5); no client owns it.</summary>
    Declined,
}

/// <summary>
/// One client's lease, mutable and owned by the engine (always touched under its lock). A lease
/// that expired or was released is kept so the client gets the same address back if it is free.
/// </summary>
internal sealed class DhcpLease(ulong mac, uint address)
{
    private string? macText;
    private string? addressText;

    public ulong Mac { get; } = mac;

    public uint Address { get; private set; } = address;

    public LeaseState State { get; set; }

    /// <summary>UTC ticks when the offer, lease or quarantine runs out.</summary>
    public long ExpiresTicks { get; set; }

    public int LeaseSeconds { get; set; }

    public string? Hostname { get; set; }

    /// <summary>The subnet whose address space holds the lease; null while no served subnet does (after a config change).</summary>
    public ServedSubnet? Subnet { get; set; }

    /// <summary>Holding the address: it is in the engine's address index and its pool bit is set.</summary>
    public bool IsActive => State is LeaseState.Offered or LeaseState.Bound or LeaseState.Declined;

    public string MacText => macText ??= MacAddressText.Format(Mac);

    public string AddressText => addressText ??= AddressOf(Address);

    public void MoveTo(uint address)
    {
        Address = address;
        addressText = null;
    }

    public static string AddressOf(uint address) => $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";
}
