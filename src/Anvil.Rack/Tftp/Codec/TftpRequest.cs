using System.Buffers.Binary;
using System.Text;

namespace Anvil.Rack.Tftp.Codec;

/// <summary>
/// RRQ or WRQ: <c>opcode | filename NUL | mode NUL | (option NUL value NUL)*</c> (RFC 1350, 2347).
/// The mode is case-insensitive; option names keep their spelling and compare case-insensitively.
/// </summary>
internal sealed record TftpRequest(TftpOpcode Opcode, string Filename, TftpMode Mode, IReadOnlyList<TftpOption> Options)
{
    /// <summary>False for anything that is not a well-formed request; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out TftpRequest? request)
    {
        request = null;
        if (!TftpPacket.TryReadOpcode(packet, out var opcode) || opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
            return false;

        var rest = packet[2..];
        if (!TftpPacket.TryReadString(ref rest, out var filename) || filename.IsEmpty)
            return false;
        if (!TftpPacket.TryReadString(ref rest, out var modeText) || !TryReadMode(modeText, out var mode))
            return false;

        List<TftpOption>? options = null;
        while (!rest.IsEmpty)
        {
            if (!TftpPacket.TryReadString(ref rest, out var name) || !TftpPacket.TryReadString(ref rest, out var value))
                return false;
            if (name.IsEmpty)
                return false;
            options ??= [];
            options.Add(new TftpOption(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value)));
        }

        request = new TftpRequest(opcode, Encoding.UTF8.GetString(filename), mode, options ?? (IReadOnlyList<TftpOption>)[]);
        return true;
    }

    public int Size => 2 + TftpPacket.StringSize(Filename) + TftpPacket.StringSize(ModeName(Mode)) +
        Options.Sum(o => TftpPacket.StringSize(o.Name) + TftpPacket.StringSize(o.Value));

    /// <summary>Writes the packet (clients and tests); returns its length.</summary>
    public int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Opcode);
        var length = 2;
        length += TftpPacket.WriteString(destination[length..], Filename);
        length += TftpPacket.WriteString(destination[length..], ModeName(Mode));
        foreach (var option in Options)
        {
            length += TftpPacket.WriteString(destination[length..], option.Name);
            length += TftpPacket.WriteString(destination[length..], option.Value);
        }

        return length;
    }

    private static bool TryReadMode(ReadOnlySpan<byte> text, out TftpMode mode)
    {
        if (Ascii.EqualsIgnoreCase(text, "octet"u8))
            mode = TftpMode.Octet;
        else if (Ascii.EqualsIgnoreCase(text, "netascii"u8))
            mode = TftpMode.Netascii;
        else if (Ascii.EqualsIgnoreCase(text, "mail"u8))
            mode = TftpMode.Mail;
        else
        {
            mode = default;
            return false;
        }

        return true;
    }

    private static string ModeName(TftpMode mode) => mode switch
    {
        TftpMode.Octet => "octet",
        TftpMode.Netascii => "netascii",
        _ => "mail",
    };
}
