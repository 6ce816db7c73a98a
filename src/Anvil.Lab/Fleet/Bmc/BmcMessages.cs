using System.Buffers.Binary;
using Anvil.Rack.Power.Ipmi.Codec;

namespace Anvil.Lab.Fleet.Bmc;

/// <summary>An IPMI request as a BMC reads it off the LAN: who asked, netFn, sequence, command and data.</summary>
internal readonly record struct IpmiRequest(byte RequesterAddress, byte NetFn, byte RequesterLun, byte Sequence, byte Command, byte[] Data);

/// <summary>
/// The BMC's half of the IPMI message format (the console's half is <see cref="IpmiMessage"/>):
/// requests are read with both checksums checked, responses written with netFn + 1 and the
/// requester's sequence echoed.
/// </summary>
internal static class BmcMessages
{
    /// <summary>rsSA, netFn/LUN, chk1, rqSA, seq/LUN, cmd, chk2: the smallest request.</summary>
    private const int MinimumRequest = 7;

    public static bool TryReadRequest(ReadOnlySpan<byte> message, out IpmiRequest request)
    {
        request = default;
        if (message.Length < MinimumRequest)
            return false;
        if (IpmiMessage.Checksum(message[..2]) != message[2] || IpmiMessage.Checksum(message[3..^1]) != message[^1])
            return false;
        request = new IpmiRequest(
            RequesterAddress: message[3],
            NetFn: (byte)(message[1] >> 2),
            RequesterLun: (byte)(message[4] & 0x03),
            Sequence: (byte)(message[4] >> 2),
            Command: message[5],
            Data: message[6..^1].ToArray());
        return true;
    }

    public static byte[] WriteResponse(IpmiRequest request, byte completionCode, ReadOnlySpan<byte> data)
    {
        var message = new byte[8 + data.Length];
        message[0] = request.RequesterAddress;
        message[1] = (byte)(((request.NetFn + 1) << 2) | request.RequesterLun);
        message[2] = IpmiMessage.Checksum(message.AsSpan(0, 2));
        message[3] = IpmiMessage.BmcAddress;
        message[4] = (byte)(request.Sequence << 2);
        message[5] = request.Command;
        message[6] = completionCode;
        data.CopyTo(message.AsSpan(7));
        message[^1] = IpmiMessage.Checksum(message.AsSpan(3, message.Length - 4));
        return message;
    }
}

/// <summary>What a console proposes in Open Session Request: its session ID, the privilege it wants and the three algorithms.</summary>
internal readonly record struct OpenSessionProposal(byte Tag, byte Privilege, uint ConsoleSessionId, byte Authentication, byte Integrity, byte Confidentiality)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out OpenSessionProposal proposal)
    {
        proposal = default;
        if (message.Length < OpenSessionRequest.Length)
            return false;
        // each algorithm record: type, 2 reserved, length 8, algorithm, 3 reserved
        if (message[8] != 0 || message[16] != 1 || message[24] != 2)
            return false;
        proposal = new OpenSessionProposal(message[0], (byte)(message[1] & 0x0F), BinaryPrimitives.ReadUInt32LittleEndian(message[4..]),
            (byte)(message[12] & 0x3F), (byte)(message[20] & 0x3F), (byte)(message[28] & 0x3F));
        return true;
    }

    public static byte[] Accept(OpenSessionProposal proposal, byte privilege, uint bmcSessionId)
    {
        var message = new byte[36];
        message[0] = proposal.Tag;
        message[2] = privilege;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), proposal.ConsoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), bmcSessionId);
        WriteAlgorithm(message.AsSpan(12), 0, proposal.Authentication);
        WriteAlgorithm(message.AsSpan(20), 1, proposal.Integrity);
        WriteAlgorithm(message.AsSpan(28), 2, proposal.Confidentiality);
        return message;
    }

    /// <summary>A refusal carries the tag, the status and the console's session ID.</summary>
    public static byte[] Refuse(byte tag, byte status, uint consoleSessionId)
    {
        var message = new byte[8];
        message[0] = tag;
        message[1] = status;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), consoleSessionId);
        return message;
    }

    private static void WriteAlgorithm(Span<byte> record, byte type, byte algorithm)
    {
        record[0] = type;
        record[3] = 8;
        record[4] = algorithm;
    }
}

/// <summary>RAKP message 1 as the BMC reads it.</summary>
internal readonly record struct Rakp1Request(byte Tag, uint BmcSessionId, byte[] ConsoleRandom, byte Role, byte[] UserName)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out Rakp1Request request)
    {
        request = default;
        if (message.Length < 28)
            return false;
        int length = message[27];
        if (length > 16 || message.Length < 28 + length)
            return false;
        request = new Rakp1Request(message[0], BinaryPrimitives.ReadUInt32LittleEndian(message[4..]), message.Slice(8, 16).ToArray(),
            message[24], message.Slice(28, length).ToArray());
        return true;
    }
}

/// <summary>RAKP message 3 as the BMC reads it.</summary>
internal readonly record struct Rakp3Request(byte Tag, byte Status, uint BmcSessionId, byte[] AuthCode)
{
    public static bool TryRead(ReadOnlySpan<byte> message, out Rakp3Request request)
    {
        request = default;
        if (message.Length < 8)
            return false;
        request = new Rakp3Request(message[0], message[1], BinaryPrimitives.ReadUInt32LittleEndian(message[4..]), message[8..].ToArray());
        return true;
    }
}

/// <summary>The BMC's RAKP 2 and RAKP 4 messages.</summary>
internal static class RakpReplies
{
    public static byte[] Rakp2(byte tag, byte status, uint consoleSessionId, ReadOnlySpan<byte> bmcRandom, ReadOnlySpan<byte> guid, ReadOnlySpan<byte> authCode)
    {
        if (status != 0)
            return Status(tag, status, consoleSessionId);
        var message = new byte[40 + authCode.Length];
        message[0] = tag;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), consoleSessionId);
        bmcRandom.CopyTo(message.AsSpan(8));
        guid.CopyTo(message.AsSpan(24));
        authCode.CopyTo(message.AsSpan(40));
        return message;
    }

    public static byte[] Rakp4(byte tag, byte status, uint consoleSessionId, ReadOnlySpan<byte> integrityCheck)
    {
        if (status != 0)
            return Status(tag, status, consoleSessionId);
        var message = new byte[8 + integrityCheck.Length];
        message[0] = tag;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), consoleSessionId);
        integrityCheck.CopyTo(message.AsSpan(8));
        return message;
    }

    private static byte[] Status(byte tag, byte status, uint consoleSessionId)
    {
        var message = new byte[8];
        message[0] = tag;
        message[1] = status;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), consoleSessionId);
        return message;
    }
}
