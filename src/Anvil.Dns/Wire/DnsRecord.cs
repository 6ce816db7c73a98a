namespace Anvil.Dns.Wire;

/// <summary>
/// One resource record in canonical presentation form, so that records from Anvil's database and
/// records read back from BIND compare equal when they mean the same thing.
/// </summary>
/// <param name="Name">The absolute owner name, lower case, without the trailing dot.</param>
/// <param name="Type">The record type.</param>
/// <param name="Ttl">Time to live in seconds.</param>
/// <param name="Data">
/// Canonical presentation RDATA: names absolute, lower case, with the trailing dot; TXT as quoted
/// strings; SSHFP fingerprints in upper-case hex; MX <c>10 mail.maas.</c>; SRV
/// <c>0 5 5060 sip.maas.</c>; SOA <c>mname. rname. serial refresh retry expire minimum</c>; types
/// without a presentation format here as <c>\# length HEX</c> (RFC 3597).
/// </param>
public sealed record DnsRecord(string Name, DnsType Type, uint Ttl, string Data)
{
    /// <summary>
    /// Builds a record from presentation data as a user or zone file would write it, normalised by
    /// a round trip through the wire form: relative names get <paramref name="origin"/> appended
    /// (or the root when there is none), case and spacing are made canonical. The owner
    /// <paramref name="name"/> is always absolute, with or without the trailing dot (<c>@</c> is the
    /// origin).
    /// </summary>
    /// <exception cref="FormatException">The name, type or data is not valid, with a message saying which and why.</exception>
    public static DnsRecord Create(string name, DnsType type, uint ttl, string data, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        name = name.Trim();
        var ownerText = name == "@" ? origin ?? "." : name;
        if (!DnsNames.TryParse(ownerText.EndsWith('.') ? ownerText : ownerText + ".", null, out var ownerWire, out var nameError))
            throw new FormatException($"The owner name '{name}' is not valid: {nameError}.");
        var owner = DnsNames.WithoutTrailingDot(DnsNames.ToText(ownerWire));
        if (!DnsTypes.IsDataType(type))
            throw new FormatException($"{DnsTypes.ToMnemonic(type)} is not a record type that can be published ({owner}).");
        if (ttl > int.MaxValue)
            throw new FormatException($"The TTL {ttl} of {owner} {DnsTypes.ToMnemonic(type)} is above 2147483647 (RFC 2181 §8).");

        byte[] rdata;
        try
        {
            rdata = RDataCodec.Encode(type, data, origin);
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{data}' is not valid {DnsTypes.ToMnemonic(type)} data for {owner}: {e.Message}.", e);
        }

        if (rdata.Length > ushort.MaxValue)
            throw new FormatException($"The {DnsTypes.ToMnemonic(type)} data for {owner} is {rdata.Length} bytes; RDATA is limited to 65535.");

        try
        {
            return new DnsRecord(owner, type, ttl, DecodeCanonical(type, rdata));
        }
        catch (DnsWireException e)
        {
            throw new FormatException($"'{data}' is not valid {DnsTypes.ToMnemonic(type)} data for {owner}: {e.Message}.", e);
        }
    }

    /// <summary>The record's RDATA in wire form (names uncompressed).</summary>
    internal byte[] EncodeRData() => RDataCodec.Encode(Type, Data, origin: null);

    /// <summary>The owner name in wire form.</summary>
    internal byte[] EncodeName() => DnsNames.ToWire(Name.Length == 0 ? "." : Name);

    /// <summary>Zone-file style, e.g. <c>host.maas. 30 IN A 10.0.0.5</c>.</summary>
    public override string ToString() => $"{Name}. {Ttl} IN {DnsTypes.ToMnemonic(Type)} {Data}";

    private static string DecodeCanonical(DnsType type, byte[] rdata)
    {
        var reader = new DnsWireReader(rdata);
        return RDataCodec.Decode(type, ref reader, rdata.Length);
    }
}
