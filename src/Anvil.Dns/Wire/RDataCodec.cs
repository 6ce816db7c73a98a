using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Dns.Wire;

/// <summary>
/// RDATA between presentation and wire form for the types Anvil publishes; any other data type
/// uses the RFC 3597 generic form <c>\# length hex</c>. Decoding yields the canonical presentation
/// that <see cref="DnsRecord"/> carries.
/// </summary>
internal static class RDataCodec
{
    /// <summary>Presentation to wire RDATA; throws <see cref="FormatException"/> (with the reason only) on bad data.</summary>
    public static byte[] Encode(DnsType type, string data, string? origin)
    {
        var tokens = PresentationTokens.Split(data);
        if (tokens.Count > 0 && tokens[0] is { Text: @"\#", Quoted: false })
            return EncodeGeneric(tokens);

        var writer = new DnsWireWriter(64);
        switch (type)
        {
            case DnsType.A:
                Expect(tokens, 1, "an IPv4 address such as 10.0.0.5");
                writer.WriteBytes(ParseIPv4(tokens[0].Text));
                break;
            case DnsType.AAAA:
                Expect(tokens, 1, "an IPv6 address such as 2001:db8::5");
                writer.WriteBytes(ParseIPv6(tokens[0].Text));
                break;
            case DnsType.NS or DnsType.CNAME or DnsType.PTR:
                Expect(tokens, 1, "a domain name");
                writer.WriteBytes(Name(tokens[0], origin));
                break;
            case DnsType.MX:
                Expect(tokens, 2, "a preference and an exchange, such as '10 mail.example.'");
                writer.WriteUInt16(UInt16(tokens[0], "preference"));
                writer.WriteBytes(Name(tokens[1], origin));
                break;
            case DnsType.SRV:
                Expect(tokens, 4, "priority, weight, port and target, such as '0 5 5060 sip.example.'");
                writer.WriteUInt16(UInt16(tokens[0], "priority"));
                writer.WriteUInt16(UInt16(tokens[1], "weight"));
                writer.WriteUInt16(UInt16(tokens[2], "port"));
                writer.WriteBytes(Name(tokens[3], origin));
                break;
            case DnsType.SOA:
                Expect(tokens, 7, "mname rname serial refresh retry expire minimum");
                writer.WriteBytes(Name(tokens[0], origin));
                writer.WriteBytes(Name(tokens[1], origin));
                writer.WriteUInt32(UInt32(tokens[2], "serial"));
                writer.WriteUInt32(Duration(tokens[3], "refresh"));
                writer.WriteUInt32(Duration(tokens[4], "retry"));
                writer.WriteUInt32(Duration(tokens[5], "expire"));
                writer.WriteUInt32(Duration(tokens[6], "minimum"));
                break;
            case DnsType.TXT:
                if (tokens.Count == 0)
                    throw new FormatException("expected one or more strings");
                foreach (var token in tokens)
                    WriteCharacterStrings(writer, PresentationTokens.Unescape(token.Text));
                break;
            case DnsType.SSHFP:
                if (tokens.Count < 3)
                    throw new FormatException("expected algorithm, fingerprint type and a hex fingerprint, such as '4 2 123456789abcdef...'");
                writer.WriteByte(Byte(tokens[0], "algorithm"));
                writer.WriteByte(Byte(tokens[1], "fingerprint type"));
                writer.WriteBytes(Hex(tokens.Skip(2), "fingerprint"));
                break;
            case DnsType.CAA:
                Expect(tokens, 3, "flags, tag and value, such as '0 issue \"letsencrypt.org\"'");
                writer.WriteByte(Byte(tokens[0], "flags"));
                var tag = tokens[1].Text;
                if (tokens[1].Quoted || tag.Length is 0 or > 255 || !tag.All(char.IsAsciiLetterOrDigit))
                    throw new FormatException($"the CAA tag '{tag}' must be letters and digits");
                writer.WriteByte((byte)tag.Length);
                writer.WriteBytes(Encoding.ASCII.GetBytes(tag.ToLowerInvariant()));
                writer.WriteBytes(PresentationTokens.Unescape(tokens[2].Text));
                break;
            default:
                throw new FormatException($"{DnsTypes.ToMnemonic(type)} data must be given in the generic form '\\# <length> <hex>'");
        }

        return writer.ToArray();
    }

    /// <summary>Reads <paramref name="length"/> bytes of RDATA at the reader's position (names may be compressed) into canonical presentation.</summary>
    public static string Decode(DnsType type, ref DnsWireReader reader, int length)
    {
        var end = reader.Position + length;
        if (length > reader.Remaining)
            throw new DnsWireException($"RDATA of {length} bytes runs past the end of the message");
        var text = DecodeFields(type, ref reader, length);
        if (reader.Position != end)
            throw new DnsWireException($"{DnsTypes.ToMnemonic(type)} RDATA length {length} does not match its content");
        return text;
    }

    private static string DecodeFields(DnsType type, ref DnsWireReader reader, int length)
    {
        switch (type)
        {
            case DnsType.A:
                return FixedLength(length, 4, type) ? new IPAddress(reader.ReadBytes(4)).ToString() : "";
            case DnsType.AAAA:
                return FixedLength(length, 16, type) ? new IPAddress(reader.ReadBytes(16)).ToString() : "";
            case DnsType.NS or DnsType.CNAME or DnsType.PTR:
                return reader.ReadName();
            case DnsType.MX:
                {
                    var preference = reader.ReadUInt16();
                    return Invariant($"{preference} {reader.ReadName()}");
                }

            case DnsType.SRV:
                {
                    var priority = reader.ReadUInt16();
                    var weight = reader.ReadUInt16();
                    var port = reader.ReadUInt16();
                    return Invariant($"{priority} {weight} {port} {reader.ReadName()}");
                }

            case DnsType.SOA:
                {
                    var mname = reader.ReadName();
                    var rname = reader.ReadName();
                    return Invariant($"{mname} {rname} {reader.ReadUInt32()} {reader.ReadUInt32()} {reader.ReadUInt32()} {reader.ReadUInt32()} {reader.ReadUInt32()}");
                }

            case DnsType.TXT:
                {
                    if (length == 0)
                        throw new DnsWireException("TXT RDATA is empty");
                    var end = reader.Position + length;
                    var text = new StringBuilder();
                    while (reader.Position < end)
                    {
                        if (text.Length > 0)
                            text.Append(' ');
                        AppendQuoted(text, reader.ReadBytes(reader.ReadByte()));
                    }

                    return text.ToString();
                }

            case DnsType.SSHFP:
                {
                    if (length < 3)
                        throw new DnsWireException("SSHFP RDATA is too short");
                    var algorithm = reader.ReadByte();
                    var fingerprintType = reader.ReadByte();
                    return Invariant($"{algorithm} {fingerprintType} {Convert.ToHexString(reader.ReadBytes(length - 2))}");
                }

            case DnsType.CAA:
                {
                    var flags = reader.ReadByte();
                    var tagLength = reader.ReadByte();
                    var tag = reader.ReadBytes(tagLength);
                    if (tagLength == 0 || 2 + tagLength > length)
                        throw new DnsWireException("CAA tag length is invalid");
                    foreach (var b in tag)
                    {
                        if (!char.IsAsciiLetterOrDigit((char)b))
                            throw new DnsWireException("CAA tag is not alphanumeric");
                    }

                    var text = new StringBuilder(Invariant($"{flags} {Encoding.ASCII.GetString(tag).ToLowerInvariant()} "));
                    AppendQuoted(text, reader.ReadBytes(length - 2 - tagLength));
                    return text.ToString();
                }

            default:
                return length == 0 ? @"\# 0" : Invariant($@"\# {length} {Convert.ToHexString(reader.ReadBytes(length))}");
        }
    }

    /// <summary>A character-string as BIND prints it: quoted, with <c>"</c> and <c>\</c> escaped and bytes outside printable ASCII as <c>\DDD</c>.</summary>
    public static void AppendQuoted(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        text.Append('"');
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
                text.Append('\\').Append((char)b);
            else if (b is >= 0x20 and < 0x7F)
                text.Append((char)b);
            else
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
        }

        text.Append('"');
    }

    private static bool FixedLength(int length, int expected, DnsType type) =>
        length == expected ? true : throw new DnsWireException($"{type} RDATA must be {expected} bytes, not {length}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Expect(List<PresentationToken> tokens, int count, string what)
    {
        if (tokens.Count != count)
            throw new FormatException($"expected {what}");
    }

    // Strings longer than 255 octets are split into several character-strings, as a zone file
    // would need them written; the meaning of a TXT record is the concatenation anyway.
    private static void WriteCharacterStrings(DnsWireWriter writer, byte[] bytes)
    {
        var offset = 0;
        do
        {
            var chunk = Math.Min(255, bytes.Length - offset);
            writer.WriteByte((byte)chunk);
            writer.WriteBytes(bytes.AsSpan(offset, chunk));
            offset += chunk;
        }
        while (offset < bytes.Length);
    }

    private static byte[] Name(PresentationToken token, string? origin)
    {
        if (token.Quoted)
            throw new FormatException($"a name cannot be quoted ('\"{token.Text}\"')");
        if (!DnsNames.TryParse(token.Text, origin, out var wire, out var error))
            throw new FormatException(error);
        return wire;
    }

    private static byte[] ParseIPv4(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
            throw new FormatException($"'{text}' is not an IPv4 address");
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            // Decimal only, no leading zeros: IPAddress.Parse would take "10", octal and hex forms too.
            if (parts[i].Length is 0 or > 3 || (parts[i].Length > 1 && parts[i][0] == '0') || !parts[i].All(char.IsAsciiDigit) || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                throw new FormatException($"'{text}' is not an IPv4 address");
        }

        return bytes;
    }

    private static byte[] ParseIPv6(string text)
    {
        if (text.IndexOfAny(['%', '/', '[', ']']) >= 0 || !text.Contains(':', StringComparison.Ordinal)
            || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new FormatException($"'{text}' is not an IPv6 address");
        return address.GetAddressBytes();
    }

    private static byte Byte(PresentationToken token, string field) =>
        !token.Quoted && token.Text.All(char.IsAsciiDigit) && byte.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the {field} '{token.Text}' is not a number from 0 to 255");

    private static ushort UInt16(PresentationToken token, string field) =>
        !token.Quoted && token.Text.All(char.IsAsciiDigit) && ushort.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the {field} '{token.Text}' is not a number from 0 to 65535");

    private static uint UInt32(PresentationToken token, string field) =>
        !token.Quoted && token.Text.All(char.IsAsciiDigit) && uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the {field} '{token.Text}' is not a number from 0 to 4294967295");

    /// <summary>A number of seconds, optionally with BIND's units (<c>1h30m</c>, <c>2w</c>).</summary>
    private static uint Duration(PresentationToken token, string field)
    {
        var text = token.Text.ToLowerInvariant();
        if (!token.Quoted && text.Length > 0 && text.All(char.IsAsciiDigit))
            return UInt32(token, field);

        ulong total = 0;
        ulong current = 0;
        var sawDigit = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                current = (current * 10) + (ulong)(c - '0');
                sawDigit = true;
            }
            else
            {
                ulong unit = c switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
                if (unit == 0 || !sawDigit)
                    throw new FormatException($"the {field} '{token.Text}' is not a number of seconds or a duration like 1h30m");
                total += current * unit;
                current = 0;
                sawDigit = false;
            }

            if (current > uint.MaxValue || total > uint.MaxValue)
                throw new FormatException($"the {field} '{token.Text}' is too large");
        }

        // A bare number after the units counts as seconds ("1h30" is 3630).
        total += current;
        if (token.Quoted || text.Length == 0 || total > uint.MaxValue)
            throw new FormatException($"the {field} '{token.Text}' is not a number of seconds or a duration like 1h30m");
        return (uint)total;
    }

    private static byte[] Hex(IEnumerable<PresentationToken> tokens, string field)
    {
        var text = string.Concat(tokens.Select(t => t.Text));
        if (text.Length == 0 || text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            throw new FormatException($"the {field} '{text}' is not an even number of hex digits");
        return Convert.FromHexString(text);
    }

    private static byte[] EncodeGeneric(List<PresentationToken> tokens)
    {
        if (tokens.Count < 2 || !int.TryParse(tokens[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 65535)
            throw new FormatException(@"generic data must be '\# <length> <hex>'");
        if (length == 0)
        {
            if (tokens.Count != 2)
                throw new FormatException(@"generic data '\# 0' cannot be followed by hex");
            return [];
        }

        var bytes = Hex(tokens.Skip(2), "generic data");
        if (bytes.Length != length)
            throw new FormatException($"generic data says {length} bytes but has {bytes.Length}");
        return bytes;
    }
}
