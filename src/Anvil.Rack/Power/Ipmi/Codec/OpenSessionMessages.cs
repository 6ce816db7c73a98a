using System.Buffers.Binary;

namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// RMCP+ Open Session Request: tag, requested maximum privilege, 2 reserved, the console's session
/// ID (little-endian), then three 8-byte algorithm records (type 0 authentication, 1 integrity,
/// 2 confidentiality; byte 3 is the record length 8, byte 4 the algorithm).
/// </summary>
internal static class OpenSessionRequest
{
    public const int Length = 32;

    public static byte[] Write(byte tag, byte privilege, uint consoleSessionId, byte authentication, byte integrity, byte confidentiality)
    {
        var message = new byte[Length];
        message[0] = tag;
        message[1] = privilege;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), consoleSessionId);
        WriteAlgorithm(message.AsSpan(8), 0, authentication);
        WriteAlgorithm(message.AsSpan(16), 1, integrity);
        WriteAlgorithm(message.AsSpan(24), 2, confidentiality);
        return message;
    }

    private static void WriteAlgorithm(Span<byte> record, byte type, byte algorithm)
    {
        record[0] = type;
        record[3] = 8;
        record[4] = algorithm;
    }
}

/// <summary>
/// RMCP+ Open Session Response. A refusal (status ≠ 0) may stop right after the status (ipmi_sim does);
/// an acceptance carries the BMC's session ID and the three algorithms it chose.
/// </summary>
internal readonly record struct OpenSessionResponse(
    byte Tag, byte Status, byte Privilege, uint ConsoleSessionId, uint BmcSessionId,
    byte Authentication, byte Integrity, byte Confidentiality)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out OpenSessionResponse response)
    {
        response = default;
        if (message.Length < 2)
            return false;
        var status = message[1];
        if (status != 0)
        {
            response = new OpenSessionResponse(message[0], status, 0, 0, 0, 0, 0, 0);
            return true;
        }

        if (message.Length < 36)
            return false;
        response = new OpenSessionResponse(
            message[0], status, message[2],
            BinaryPrimitives.ReadUInt32LittleEndian(message[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(message[8..]),
            message[16], message[24], message[32]);
        return true;
    }
}
