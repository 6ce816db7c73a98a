using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Anvil.Domain.Ipam;

/// <summary>A CIDR block, e.g. 10.0.0.0/24 or 2001:db8::/64; the network address has no host bits.</summary>
public readonly record struct IpNetwork
{
    public IpNetwork(IpAddress address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, address.Bits);
        PrefixLength = prefixLength;
        Network = new IpAddress(address.Value & ~HostMaskOf(address.Family, prefixLength) & IpAddress.MaxValueOf(address.Family), address.Family);
    }

    public IpAddress Network { get; }

    public int PrefixLength { get; }

    public IpFamily Family => Network.Family;

    /// <summary>The first address of the block (the network address).</summary>
    public IpAddress First => Network;

    /// <summary>The last address of the block (the IPv4 broadcast address).</summary>
    public IpAddress Last => new(Network.Value | HostMaskOf(Family, PrefixLength), Family);

    /// <summary>Every address of the block, network and broadcast included.</summary>
    public IpRange All => new(First, Last);

    /// <summary>
    /// The addresses a host may use. IPv4: all but the network and broadcast addresses, except in a
    /// /31 (RFC 3021 point-to-point) and a /32 where every address is usable. IPv6: all but the
    /// subnet-router anycast address (the first one, RFC 4291 §2.6.1, which MAAS also reserves),
    /// except in a /127 (RFC 6164) and a /128. IPv6 has no broadcast address.
    /// </summary>
    public IpRange HostRange => Family switch
    {
        IpFamily.V4 when PrefixLength >= 31 => All,
        IpFamily.V4 => new IpRange(First.Add(1), new IpAddress(Last.Value - 1, Family)),
        _ when PrefixLength >= 127 => All,
        _ => new IpRange(First.Add(1), Last),
    };

    public bool Contains(IpAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not a CIDR block.");

    /// <summary>
    /// <c>address/prefix</c>, surrounding white space ignored; host bits in the address are cleared,
    /// as PostgreSQL's <c>network()</c> and MAAS's CIDR normalisation do (<c>10.0.0.5/24</c> is
    /// <c>10.0.0.0/24</c>). A bare address is a single-address block.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpNetwork network)
    {
        network = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IpAddress.TryParse(slash < 0 ? text : text[..slash], out var address))
            return false;
        var prefix = address.Bits;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > address.Bits)
                return false;
        }

        network = new IpNetwork(address, prefix);
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static UInt128 HostMaskOf(IpFamily family, int prefixLength)
    {
        var hostBits = IpAddress.BitsOf(family) - prefixLength;
        return hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
