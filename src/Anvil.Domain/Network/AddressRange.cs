using Anvil.Domain.Ipam;

namespace Anvil.Domain.Network;

/// <summary>An inclusive run of addresses and why it is in use (empty for free runs).</summary>
public sealed record AddressRange(IpRange Range, IReadOnlyList<string> Purposes)
{
    public IpAddress Start => Range.First;

    public IpAddress End => Range.Last;

    public UInt128 NumAddresses => Range.Count;

    public bool Contains(IpAddress address) => Range.Contains(address);
}
