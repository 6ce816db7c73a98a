using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Anvil.Domain.Dhcp;
using Anvil.Domain.Ipam;

namespace Anvil.Rack.Dhcp.Options;

/// <summary>Turns a snippet's <see cref="DhcpOption"/> and the server's own values into option bytes.</summary>
internal static class DhcpOptionEncoder
{
    /// <summary>
    /// The option's value on the wire, or null when the stored value cannot be encoded (the
    /// region validates snippets, so this only guards against a value of the wrong JSON shape).
    /// </summary>
    public static byte[]? Encode(DhcpOption option)
    {
        try
        {
            return option.Type switch
            {
                DhcpOptionType.IpAddresses => Addresses(option.Value.AsArray().Select(v => IpAddress.Parse(v!.GetValue<string>()))),
                DhcpOptionType.DomainList => DomainSearchEncoder.Encode(option.Value.AsArray().Select(v => v!.GetValue<string>())),
                DhcpOptionType.Text => Encoding.ASCII.GetBytes(option.Value.GetValue<string>()),
                DhcpOptionType.Hex => Hex(option.Value.GetValue<string>()),
                DhcpOptionType.Boolean => [option.Value.GetValue<bool>() ? (byte)1 : (byte)0],
                DhcpOptionType.UInt8 => [checked((byte)option.Value.GetValue<long>())],
                DhcpOptionType.UInt16 => BigEndian16(checked((ushort)option.Value.GetValue<long>())),
                DhcpOptionType.UInt32 => BigEndian32(checked((uint)option.Value.GetValue<long>())),
                DhcpOptionType.Int32 => BigEndian32(unchecked((uint)checked((int)option.Value.GetValue<long>()))),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    public static byte[] Addresses(IEnumerable<IpAddress> addresses)
    {
        var list = addresses.Where(a => a.Family == IpFamily.V4).ToList();
        var bytes = new byte[list.Count * 4];
        for (var i = 0; i < list.Count; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), (uint)list[i].Value);
        return bytes;
    }

    public static byte[] BigEndian16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Hex(string text) =>
        [.. text.Split(':').Select(octet => byte.Parse(octet, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))];
}
