using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
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
    /// Dotted-quad IPv4 (exactly four decimal parts, none of the legacy short or octal forms) or
    /// IPv6 text without a zone index.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpAddress address)
    {
        address = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal))
            return false;
        var isV6 = text.Contains(':', StringComparison.Ordinal);
        if (!isV6 && !IsDottedQuad(text))
            return false;
        if (!IPAddress.TryParse(text, out var parsed))
            return false;
        address = From(parsed);
        return true;
    }

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

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
