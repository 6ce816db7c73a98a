using System.Buffers.Binary;
using System.Text;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// The one BSON shape MAAS's <c>details</c> op returns: a document whose values are generic
/// binary (subtype 0) or null. Little-endian lengths, as the BSON spec requires.
/// </summary>
internal static class Bson
{
    public static byte[] BinaryDocument(IEnumerable<(string Key, string? Value)> fields)
    {
        using var body = new MemoryStream();
        Span<byte> int32 = stackalloc byte[4];
        foreach (var (key, value) in fields)
        {
            body.WriteByte(value is null ? (byte)0x0A : (byte)0x05);
            body.Write(Encoding.UTF8.GetBytes(key));
            body.WriteByte(0);
            if (value is null)
                continue;
            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32LittleEndian(int32, bytes.Length);
            body.Write(int32);
            body.WriteByte(0x00);
            body.Write(bytes);
        }

        body.WriteByte(0);
        var result = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        body.ToArray().CopyTo(result, 4);
        return result;
    }
}
