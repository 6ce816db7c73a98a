using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Domain.Dns;

/// <summary>
/// Reverse-zone names for subnets, as MAAS lays them out. Zones sit on label boundaries (octets
/// for IPv4, nibbles for IPv6): a subnet on a boundary is one zone, one between boundaries is
/// split into the zones of the next longer boundary (a /23 is two /24 zones, a /63 two /64 zones).
/// A subnet longer than the last boundary (IPv4 past /24, IPv6 past /124) gets a classless
/// zone named per RFC 2317, <c>&lt;first&gt;-&lt;prefixlen&gt;.&lt;parent&gt;</c>; in rdns mode 2 the
/// parent zone (the /24 or /124) also carries CNAME glue pointing into it.
/// </summary>
public static class ReverseZones
{
    private const string Ipv4Suffix = "in-addr.arpa";
    private const string Ipv6Suffix = "ip6.arpa";

    /// <summary>
    /// The reverse zone(s) a subnet needs, lower case without the trailing dot; none when
    /// <paramref name="rdnsMode"/> is 0. The glue parent of a classless subnet in mode 2 comes last.
    /// </summary>
    public static IReadOnlyList<string> ZonesFor(IPNetwork subnet, int rdnsMode)
    {
        if (rdnsMode == 0)
        {
            return [];
        }

        var zones = OwnZones(subnet).ToList();
        if (rdnsMode == 2 && GlueParentZone(subnet) is { } parent)
        {
            zones.Add(parent);
        }

        return zones;
    }

    /// <summary>
    /// The absolute owner name (no trailing dot) of the PTR for <paramref name="address"/> in the
    /// zone of <paramref name="subnet"/>: the ordinary reverse name, or for a classless subnet the
    /// last label under the RFC 2317 zone (<c>70.64-26.0.0.10.in-addr.arpa</c>).
    /// </summary>
    public static string PtrName(IPAddress address, IPNetwork subnet)
    {
        if (!subnet.Contains(address))
        {
            throw new ArgumentException($"{address} is not in {subnet}.", nameof(address));
        }

        return IsClassless(subnet)
            ? Label(Value(address), address.AddressFamily, LabelCount(address.AddressFamily) - 1) + "." + ClasslessZone(subnet)
            : ReverseName(address);
    }

    /// <summary>The full reverse name of an address (<c>5.0.168.192.in-addr.arpa</c>), no trailing dot.</summary>
    public static string ReverseName(IPAddress address) =>
        Name(Value(address), address.AddressFamily, LabelCount(address.AddressFamily));

    /// <summary>Whether the subnet is longer than the last label boundary (IPv4 /25–/32, IPv6 /125–/128).</summary>
    public static bool IsClassless(IPNetwork subnet) =>
        subnet.PrefixLength > Bits(subnet.BaseAddress.AddressFamily) - UnitBits(subnet.BaseAddress.AddressFamily);

    /// <summary>The zones a subnet is published in by itself, without RFC 2317 glue parents.</summary>
    internal static IEnumerable<string> OwnZones(IPNetwork subnet)
    {
        if (IsClassless(subnet))
        {
            yield return ClasslessZone(subnet);
            yield break;
        }

        var family = subnet.BaseAddress.AddressFamily;
        var unit = UnitBits(family);
        // A /0 has no label to name a zone by; it is split like any other prefix between boundaries.
        var boundary = Math.Max(unit, (subnet.PrefixLength + unit - 1) / unit * unit);
        var count = 1 << (boundary - subnet.PrefixLength);
        var first = Value(subnet.BaseAddress);
        var step = UInt128.One << (Bits(family) - boundary);
        for (var i = 0; i < count; i++)
        {
            yield return Name(first + ((UInt128)(uint)i * step), family, boundary / unit);
        }
    }

    /// <summary>The /24 (IPv4) or /124 (IPv6) zone that holds a classless subnet's glue; null for other subnets.</summary>
    internal static string? GlueParentZone(IPNetwork subnet) =>
        IsClassless(subnet)
            ? Name(Value(subnet.BaseAddress), subnet.BaseAddress.AddressFamily, LabelCount(subnet.BaseAddress.AddressFamily) - 1)
            : null;

    private static string ClasslessZone(IPNetwork subnet)
    {
        var family = subnet.BaseAddress.AddressFamily;
        var first = Value(subnet.BaseAddress);
        var labels = LabelCount(family);
        return Label(first, family, labels - 1) + "-" + subnet.PrefixLength.ToString(CultureInfo.InvariantCulture) + "." + Name(first, family, labels - 1);
    }

    /// <summary>The reverse name of the first <paramref name="labels"/> labels (octets or nibbles) of an address.</summary>
    private static string Name(UInt128 value, AddressFamily family, int labels)
    {
        var name = new StringBuilder(family == AddressFamily.InterNetwork ? 29 : 73);
        for (var i = labels - 1; i >= 0; i--)
        {
            AppendLabel(name, value, family, i).Append('.');
        }

        return name.Append(family == AddressFamily.InterNetwork ? Ipv4Suffix : Ipv6Suffix).ToString();
    }

    private static string Label(UInt128 value, AddressFamily family, int index) => AppendLabel(new StringBuilder(3), value, family, index).ToString();

    /// <summary>Label <paramref name="index"/> counted from the left: an octet in decimal or a nibble in hex.</summary>
    private static StringBuilder AppendLabel(StringBuilder name, UInt128 value, AddressFamily family, int index)
    {
        var unit = UnitBits(family);
        var label = (int)((value >> (Bits(family) - (unit * (index + 1)))) & ((UInt128.One << unit) - 1));
        return family == AddressFamily.InterNetwork
            ? name.Append(label)
            : name.Append("0123456789abcdef"[label]);
    }

    internal static UInt128 Value(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var value = UInt128.Zero;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static int UnitBits(AddressFamily family) => family == AddressFamily.InterNetwork ? 8 : 4;

    private static int LabelCount(AddressFamily family) => Bits(family) / UnitBits(family);
}
