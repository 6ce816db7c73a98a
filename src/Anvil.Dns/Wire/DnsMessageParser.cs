using Anvil.Dns.Tsig;

namespace Anvil.Dns.Wire;

/// <summary>Parses whole DNS messages. Malformed input yields false and a reason, never an exception.</summary>
internal static class DnsMessageParser
{
    public const int HeaderLength = 12;

    // The smallest question is a root name plus type and class; the smallest record adds TTL and RDLENGTH.
    private const int MinQuestionLength = 5;
    private const int MinRecordLength = 11;

    public static bool TryParse(ReadOnlySpan<byte> message, out DnsMessage? parsed, out string error)
    {
        parsed = null;
        try
        {
            parsed = Parse(message);
            error = "";
            return true;
        }
        catch (DnsWireException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        var reader = new DnsWireReader(message);
        if (message.Length < HeaderLength)
            throw new DnsWireException($"message of {message.Length} bytes is shorter than a header");
        var id = reader.ReadUInt16();
        var flags = reader.ReadUInt16();
        int questionCount = reader.ReadUInt16();
        int answerCount = reader.ReadUInt16();
        int authorityCount = reader.ReadUInt16();
        int additionalCount = reader.ReadUInt16();
        var needed = (questionCount * MinQuestionLength) + ((answerCount + authorityCount + additionalCount) * MinRecordLength);
        if (needed > reader.Remaining)
            throw new DnsWireException($"the header announces more records than {reader.Remaining} bytes can hold");

        var questions = new List<DnsQuestion>(questionCount);
        for (var i = 0; i < questionCount; i++)
            questions.Add(new DnsQuestion(reader.ReadName(), (DnsType)reader.ReadUInt16(), reader.ReadUInt16()));

        var answers = ReadRecords(ref reader, answerCount, isLastSection: false, out _, out _);
        var authority = ReadRecords(ref reader, authorityCount, isLastSection: false, out _, out _);
        var additional = ReadRecords(ref reader, additionalCount, isLastSection: true, out var tsig, out var tsigOffset);
        if (reader.Remaining != 0)
            throw new DnsWireException($"{reader.Remaining} bytes follow the last record");

        return new DnsMessage
        {
            Id = id,
            Flags = flags,
            Questions = questions,
            Answers = answers,
            Authority = authority,
            Additional = additional,
            Tsig = tsig,
            TsigOffset = tsigOffset,
        };
    }

    private static List<DnsResourceRecord> ReadRecords(ref DnsWireReader reader, int count, bool isLastSection, out TsigRecord? tsig, out int tsigOffset)
    {
        tsig = null;
        tsigOffset = -1;
        var records = new List<DnsResourceRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var start = reader.Position;
            var name = reader.ReadName();
            var type = (DnsType)reader.ReadUInt16();
            var @class = reader.ReadUInt16();
            var ttl = reader.ReadUInt32();
            int length = reader.ReadUInt16();
            if (type == DnsType.TSIG)
            {
                // RFC 8945 §5.1: only one TSIG, and it must be the very last record.
                if (!isLastSection || i != count - 1)
                    throw new DnsWireException("a TSIG record is not the last record of the message");
                tsig = ReadTsig(ref reader, name, length);
                tsigOffset = start;
                continue;
            }

            records.Add(new DnsResourceRecord(name, type, @class, ttl, RDataCodec.Decode(type, ref reader, length)));
        }

        return records;
    }

    private static TsigRecord ReadTsig(ref DnsWireReader reader, string keyName, int length)
    {
        if (length > reader.Remaining)
            throw new DnsWireException("TSIG RDATA runs past the end of the message");
        var end = reader.Position + length;
        var algorithm = reader.ReadName();
        var timeSigned = reader.ReadUInt48();
        var fudge = reader.ReadUInt16();
        var mac = reader.ReadBytes(reader.ReadUInt16()).ToArray();
        var originalId = reader.ReadUInt16();
        var error = reader.ReadUInt16();
        var other = reader.ReadBytes(reader.ReadUInt16()).ToArray();
        if (reader.Position != end)
            throw new DnsWireException("TSIG RDATA length does not match its content");
        return new TsigRecord(keyName, algorithm, timeSigned, fudge, mac, originalId, (TsigError)error, other);
    }
}
