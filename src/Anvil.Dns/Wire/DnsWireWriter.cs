using System.Buffers.Binary;

namespace Anvil.Dns.Wire;

/// <summary>
/// Builds a DNS message in a growable buffer. Owner names can be compressed against names written
/// earlier (RFC 1035 §4.1.4); RDATA is always written uncompressed, which every reader accepts.
/// </summary>
internal sealed class DnsWireWriter
{
    private byte[] buffer;
    private readonly Dictionary<string, int> nameOffsets = new(StringComparer.Ordinal);

    public DnsWireWriter(int capacity = 512) => buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, Length);

    public byte[] ToArray() => buffer.AsSpan(0, Length).ToArray();

    public void WriteByte(byte value)
    {
        Ensure(1);
        buffer[Length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteUInt48(ulong value)
    {
        WriteUInt16((ushort)(value >> 32));
        WriteUInt32((uint)value);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset, 2), value);

    /// <summary>Writes an uncompressed wire name, pointing at an earlier copy of its longest known suffix when <paramref name="compress"/> is set.</summary>
    public void WriteName(ReadOnlySpan<byte> wireName, bool compress)
    {
        if (!compress)
        {
            WriteBytes(wireName);
            return;
        }

        var position = 0;
        while (wireName[position] != 0)
        {
            var suffix = Convert.ToHexString(wireName[position..]);
            if (nameOffsets.TryGetValue(suffix, out var earlier))
            {
                WriteUInt16((ushort)(0xC000 | earlier));
                return;
            }

            // Pointers carry 14 bits, so only names in the first 16 KiB can be pointed at.
            if (Length < 0x4000)
                nameOffsets[suffix] = Length;
            var labelLength = wireName[position];
            WriteBytes(wireName.Slice(position, labelLength + 1));
            position += labelLength + 1;
        }

        WriteByte(0);
    }

    private void Ensure(int more)
    {
        if (Length + more <= buffer.Length)
            return;
        Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + more));
    }
}
