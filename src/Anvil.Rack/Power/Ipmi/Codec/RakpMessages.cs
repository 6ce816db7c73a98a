using System.Buffers.Binary;

namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// RAKP message 1 (console → BMC): tag, 3 reserved, the BMC's session ID, the console's 16-byte
/// random number, the requested role (privilege, bit 4 = look the user up by name only),
/// 2 reserved, user name length and the user name (at most 16 bytes).
/// </summary>
internal static class Rakp1
{
    public static byte[] Write(byte tag, uint bmcSessionId, ReadOnlySpan<byte> consoleRandom, byte role, ReadOnlySpan<byte> userName)
    {
        var message = new byte[28 + userName.Length];
        message[0] = tag;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), bmcSessionId);
        consoleRandom.CopyTo(message.AsSpan(8, 16));
        message[24] = role;
        message[27] = (byte)userName.Length;
        userName.CopyTo(message.AsSpan(28));
        return message;
    }
}

/// <summary>
/// RAKP message 2 (BMC → console): tag, status, 2 reserved, the console's session ID, the BMC's
/// random number, the BMC's GUID and the key exchange auth code (HMAC keyed by the password).
/// </summary>
internal readonly record struct Rakp2(byte Tag, byte Status, uint ConsoleSessionId, byte[] BmcRandom, byte[] BmcGuid, byte[] AuthCode)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out Rakp2 rakp2)
    {
        rakp2 = default;
        // a refusal may stop right after the status
        if (message.Length >= 2 && message[1] != 0)
        {
            rakp2 = new Rakp2(message[0], message[1], 0, [], [], []);
            return true;
        }

        if (message.Length < 40)
            return false;
        var sessionId = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        rakp2 = new Rakp2(message[0], 0, sessionId, message.Slice(8, 16).ToArray(), message.Slice(24, 16).ToArray(), message[40..].ToArray());
        return true;
    }
}

/// <summary>RAKP message 3 (console → BMC): tag, status, 2 reserved, the BMC's session ID, the console's auth code.</summary>
internal static class Rakp3
{
    public static byte[] Write(byte tag, byte status, uint bmcSessionId, ReadOnlySpan<byte> authCode)
    {
        var message = new byte[8 + authCode.Length];
        message[0] = tag;
        message[1] = status;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), bmcSessionId);
        authCode.CopyTo(message.AsSpan(8));
        return message;
    }
}

/// <summary>RAKP message 4 (BMC → console): tag, status, 2 reserved, the console's session ID, the integrity check value.</summary>
internal readonly record struct Rakp4(byte Tag, byte Status, uint ConsoleSessionId, byte[] IntegrityCheck)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out Rakp4 rakp4)
    {
        rakp4 = default;
        if (message.Length >= 2 && message[1] != 0)
        {
            rakp4 = new Rakp4(message[0], message[1], 0, []);
            return true;
        }

        if (message.Length < 8)
            return false;
        rakp4 = new Rakp4(message[0], message[1], BinaryPrimitives.ReadUInt32LittleEndian(message[4..]), message[8..].ToArray());
        return true;
    }
}
