using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>
/// Lays changes out as RFC 2136 UPDATE messages (zone section, no prerequisites, the changes in the
/// update section), starting a new message whenever the next record could push one past
/// <c>maxLength</c>. Order is kept, within and across messages. IDs are left 0 for the sender to set.
/// </summary>
internal static class UpdateMessageBuilder
{
    private const int HeaderLength = 12;
    private const int RecordFixedLength = 10;

    public static List<byte[]> Build(string zone, IReadOnlyList<DnsUpdate> changes, int maxLength)
    {
        var zoneWire = DnsNames.ToWire(zone);
        var messages = new List<byte[]>();
        DnsWireWriter? writer = null;
        var count = 0;
        foreach (var change in changes)
        {
            var record = change.Record;
            byte[] owner;
            byte[] rdata;
            try
            {
                owner = record.EncodeName();
                rdata = record.EncodeRData();
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"The record '{record}' cannot be sent: {e.Message}", nameof(changes), e);
            }

            // The uncompressed size bounds what the record takes once its owner name is compressed.
            var largest = owner.Length + RecordFixedLength + rdata.Length;
            if (HeaderLength + zoneWire.Length + 4 + largest > maxLength)
                throw new ArgumentException($"The record '{record}' alone is too large for an UPDATE message.", nameof(changes));

            if (writer is not null && writer.Length + largest > maxLength)
            {
                messages.Add(Finish(writer, count));
                writer = null;
            }

            if (writer is null)
            {
                writer = Start(zoneWire);
                count = 0;
            }

            writer.WriteName(owner, compress: true);
            writer.WriteUInt16((ushort)record.Type);
            var delete = change.Action == DnsUpdateAction.Delete;
            writer.WriteUInt16((ushort)(delete ? DnsClass.NONE : DnsClass.IN));
            writer.WriteUInt32(delete ? 0 : record.Ttl);
            writer.WriteUInt16((ushort)rdata.Length);
            writer.WriteBytes(rdata);
            count++;
        }

        if (writer is not null)
            messages.Add(Finish(writer, count));
        return messages;
    }

    private static DnsWireWriter Start(byte[] zoneWire)
    {
        var writer = new DnsWireWriter(4096);
        writer.WriteUInt16(0);
        writer.WriteUInt16((ushort)((int)DnsOpcode.Update << 11));
        writer.WriteUInt16(1);
        writer.WriteUInt16(0);
        writer.WriteUInt16(0);
        writer.WriteUInt16(0);
        writer.WriteName(zoneWire, compress: true);
        writer.WriteUInt16((ushort)DnsType.SOA);
        writer.WriteUInt16((ushort)DnsClass.IN);
        return writer;
    }

    private static byte[] Finish(DnsWireWriter writer, int count)
    {
        writer.PatchUInt16(8, (ushort)count);
        return writer.ToArray();
    }
}
