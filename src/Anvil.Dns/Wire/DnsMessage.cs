using Anvil.Dns.Tsig;

namespace Anvil.Dns.Wire;

internal sealed record DnsQuestion(string Name, DnsType Type, ushort Class);

/// <summary>A record as it appeared on the wire; <c>Name</c> keeps its trailing dot, <c>Data</c> is canonical presentation.</summary>
internal sealed record DnsResourceRecord(string Name, DnsType Type, ushort Class, uint Ttl, string Data)
{
    public DnsRecord ToRecord() => new(DnsNames.WithoutTrailingDot(Name), Type, Ttl, Data);
}

/// <summary>
/// A parsed DNS message. In an UPDATE the sections are zone, prerequisite, update and additional
/// (RFC 2136 §2); they are kept under the query names. A TSIG record, which must come last, is taken
/// out of <see cref="Additional"/> into <see cref="Tsig"/>, with the offset where it starts so the
/// signed bytes can be recomputed.
/// </summary>
internal sealed class DnsMessage
{
    public required ushort Id { get; init; }

    public required ushort Flags { get; init; }

    public bool IsResponse => (Flags & 0x8000) != 0;

    public DnsOpcode Opcode => (DnsOpcode)((Flags >> 11) & 0xF);

    public bool Authoritative => (Flags & 0x0400) != 0;

    public bool Truncated => (Flags & 0x0200) != 0;

    public DnsRcode Rcode => (DnsRcode)(Flags & 0xF);

    public required IReadOnlyList<DnsQuestion> Questions { get; init; }

    public required IReadOnlyList<DnsResourceRecord> Answers { get; init; }

    public required IReadOnlyList<DnsResourceRecord> Authority { get; init; }

    public required IReadOnlyList<DnsResourceRecord> Additional { get; init; }

    public TsigRecord? Tsig { get; init; }

    /// <summary>Where the TSIG record starts, or -1 when the message is unsigned.</summary>
    public int TsigOffset { get; init; } = -1;
}
