using System.Net;

namespace Anvil.Domain.Network;

/// <summary>An inclusive run of addresses and why it is in use (empty for free runs).</summary>
public sealed record AddressRange(IPAddress Start, IPAddress End, UInt128 NumAddresses, IReadOnlyList<string> Purposes)
{
    public UInt128 First => IpAddresses.ToNumber(Start);

    public UInt128 Last => IpAddresses.ToNumber(End);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Start.AddressFamily && IpAddresses.ToNumber(address) is var v && v >= First && v <= Last;
}
