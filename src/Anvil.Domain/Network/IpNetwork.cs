using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anvil.Domain.Network;

/// <summary>A network (address with host bits cleared, and prefix length), as a subnet's CIDR.</summary>
public readonly record struct IpNetwork(IPAddress Network, int PrefixLength)
{
    public AddressFamily Family => Network.AddressFamily;

    public int Version => IpAddresses.VersionOf(Network);

    public int MaxPrefixLength => Family == AddressFamily.InterNetwork ? 32 : 128;

    public UInt128 First => IpAddresses.ToNumber(Network);

    public UInt128 Last => First | HostMask;

    /// <summary>How many addresses the network holds (all of them, network and broadcast included).</summary>
    public UInt128 Size => HostMask + 1;

    private UInt128 HostMask => MaxPrefixLength - PrefixLength == 128 ? UInt128.MaxValue : (UInt128.One << (MaxPrefixLength - PrefixLength)) - 1;

    /// <summary>
    /// Parses <c>addr/len</c> or a bare address (a host network), clearing host bits as MAAS
    /// normalises a CIDR (<c>10.0.0.5/24</c> is <c>10.0.0.0/24</c>).
    /// </summary>
    public static bool TryParse(string? text, out IpNetwork network)
    {
        network = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IpAddresses.TryParse(slash < 0 ? text : text[..slash], out var address))
            return false;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
                return false;
        }

        var hostBits = max - prefix;
        var mask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        network = new IpNetwork(IpAddresses.FromNumber(IpAddresses.ToNumber(address) & ~mask, address.AddressFamily), prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family)
            return false;
        var value = IpAddresses.ToNumber(address);
        return value >= First && value <= Last;
    }

    public IPAddress AddressAt(UInt128 value) => IpAddresses.FromNumber(value, Family);

    public override string ToString() => $"{Network}/{PrefixLength}";
}
