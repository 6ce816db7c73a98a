namespace Anvil.Rack.Power.Ipmi.Codec;

/// <summary>
/// An IPMI message as it travels over LAN: responder address, netFn/LUN, a checksum, requester
/// address, sequence/LUN, command, data and a second checksum. Anvil is the remote console
/// (software ID 0x81) talking to the BMC (slave address 0x20), always on LUN 0.
/// </summary>
internal static class IpmiMessage
{
    public const byte BmcAddress = 0x20;
    public const byte RemoteConsoleAddress = 0x81;

    /// <summary>Header (3) + requester part (3) + checksum (1).</summary>
    public const int RequestOverhead = 7;

    public static int RequestLength(int dataLength) => RequestOverhead + dataLength;

    public static int WriteRequest(Span<byte> destination, byte netFn, byte command, byte requestSequence, ReadOnlySpan<byte> data)
    {
        destination[0] = BmcAddress;
        destination[1] = (byte)(netFn << 2);
        destination[2] = Checksum(destination[..2]);
        destination[3] = RemoteConsoleAddress;
        destination[4] = (byte)((requestSequence & 0x3F) << 2);
        destination[5] = command;
        data.CopyTo(destination[6..]);
        destination[6 + data.Length] = Checksum(destination[3..(6 + data.Length)]);
        return RequestLength(data.Length);
    }

    /// <summary>Reads a response; false when it is too short or a checksum does not add up.</summary>
    public static bool TryReadResponse(ReadOnlySpan<byte> message, out IpmiResponse response)
    {
        response = default;
        // rqSA, netFn/LUN, chk1, rsSA, seq/LUN, cmd, completion code, chk2
        if (message.Length < 8)
            return false;
        if (Checksum(message[..2]) != message[2] || Checksum(message[3..^1]) != message[^1])
            return false;
        response = new IpmiResponse(
            NetFn: (byte)(message[1] >> 2),
            RequestSequence: (byte)(message[4] >> 2),
            Command: message[5],
            CompletionCode: message[6],
            Data: message[7..^1].ToArray());
        return true;
    }

    /// <summary>The two's complement of the byte sum, so that the bytes plus the checksum add up to zero.</summary>
    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (var b in bytes)
            sum += b;
        return (byte)-sum;
    }
}

/// <summary>A BMC's answer: <see cref="Data"/> excludes the completion code.</summary>
internal readonly record struct IpmiResponse(byte NetFn, byte RequestSequence, byte Command, byte CompletionCode, byte[] Data);
