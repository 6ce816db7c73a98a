using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anvil.Domain.Ipam;

/// <summary>
/// An IPv4 or IPv6 address as a number, so that ranges are counted and walked with arithmetic
/// instead of enumeration. IPv4 values stay below 2^32.
/// </summary>
public readonly record struct IpAddress : IComparable<IpAddress>
{
    public IpAddress(UInt128 value, IpFamily family)
    {
        if (family == IpFamily.V4 && value > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), "An IPv4 address is a 32-bit number.");
        Value = value;
        Family = family;
    }

    public UInt128 Value { get; }

    public IpFamily Family { get; }

    /// <summary>32 or 128.</summary>
    public int Bits => BitsOf(Family);

    /// <summary>The largest address of the family (255.255.255.255 or ffff:…:ffff).</summary>
    public static UInt128 MaxValueOf(IpFamily family) => family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    public static int BitsOf(IpFamily family) => family == IpFamily.V4 ? 32 : 128;

    public static IpAddress V4(uint value) => new(value, IpFamily.V4);

    public static IpAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address.");

    /// <summary>
    /// Dotted-quad IPv4 (exactly four decimal parts: none of the legacy short, hex or octal forms,
    /// and a leading zero is still decimal) or IPv6 text without a zone index.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpAddress address) => TryParse(text, dropZone: false, out address);

    /// <summary>
    /// As <see cref="TryParse(string?, out IpAddress)"/>, but an IPv6 zone index (<c>fe80::1%eth0</c>)
    /// is accepted and dropped, as the subnet and IP range form fields take it.
    /// </summary>
    public static bool TryParseDroppingZone([NotNullWhen(true)] string? text, out IpAddress address) => TryParse(text, dropZone: true, out address);

    /// <summary>fe80::/10, where an IPv6 subnet's gateway may live outside the subnet.</summary>
    public bool IsLinkLocal => Family == IpFamily.V6 && Value >> 118 == 0x3FA;

    public static IpAddress From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
            throw new ArgumentException("Unreadable address.", nameof(address));
        return address.AddressFamily == AddressFamily.InterNetwork
            ? new IpAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]), IpFamily.V4)
            : new IpAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes[..written]), IpFamily.V6);
    }

    public IPAddress ToIPAddress()
    {
        if (Family == IpFamily.V4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, Value);
        return new IPAddress(v6);
    }

    /// <summary>The address <paramref name="offset"/> further on; the caller keeps it inside the family.</summary>
    public IpAddress Add(UInt128 offset) => new(checked(Value + offset), Family);

    public int CompareTo(IpAddress other) =>
        Family != other.Family ? Family.CompareTo(other.Family) : Value.CompareTo(other.Value);

    public static bool operator <(IpAddress left, IpAddress right) => left.CompareTo(right) < 0;

    public static bool operator >(IpAddress left, IpAddress right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpAddress left, IpAddress right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpAddress left, IpAddress right) => left.CompareTo(right) >= 0;

    /// <summary>Dotted quad, or RFC 5952 text (lower case, longest zero run compressed).</summary>
    public override string ToString() => ToIPAddress().ToString();

    private static bool TryParse(string? text, bool dropZone, out IpAddress address)
    {
        address = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        if (!text.Contains(':', StringComparison.Ordinal))
            return TryParseDottedQuad(text, out address);
        if (!dropZone && text.Contains('%', StringComparison.Ordinal))
            return false;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        address = From(parsed);
        return true;
    }

    /// <summary>Parsed here, not by IPAddress.TryParse, which reads "10" or "1.2" as addresses and "010" as octal.</summary>
    private static bool TryParseDottedQuad(string text, out IpAddress address)
    {
        address = default;
        var parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        uint value = 0;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
                return false;
            value = (value << 8) | octet;
        }

        address = V4(value);
        return true;
    }
}
