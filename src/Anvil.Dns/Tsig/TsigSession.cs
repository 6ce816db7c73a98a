using System.Security.Cryptography;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Tsig;

/// <summary>The outcome of checking one response message's TSIG.</summary>
internal sealed record TsigCheck(bool Verified, string? Problem = null, TsigError? ServerError = null)
{
    public static readonly TsigCheck Ok = new(true);

    /// <summary>An unsigned message inside a multi-message response, which is allowed between signed ones.</summary>
    public static readonly TsigCheck Deferred = new(false);
}

/// <summary>
/// One signed exchange: signs the request and verifies every response message against it, chaining
/// MACs through a multi-message response such as AXFR (RFC 8945 §5.3.1).
/// </summary>
internal sealed class TsigSession(TsigKey key, TimeProvider time)
{
    public const ushort Fudge = 300;

    // RFC 8945 §5.3.1: a client must accept up to 99 unsigned messages between signed ones.
    private const int MaxUnsignedInARow = 99;

    private readonly List<byte[]> unsignedSinceLastSigned = [];
    private byte[] priorMac = [];
    private int responsesSeen;

    public TsigKey Key => key;

    /// <summary>A session that verifies the answers to a request someone else signed (captures, tests).</summary>
    public static TsigSession ForSignedRequest(TsigKey key, TimeProvider time, byte[] requestMac) =>
        new(key, time) { priorMac = requestMac };

    /// <summary>Whether the last response message checked carried a verified TSIG.</summary>
    public bool LastResponseSigned { get; private set; }

    public byte[] Sign(ReadOnlySpan<byte> unsignedMessage)
    {
        var id = (ushort)((unsignedMessage[0] << 8) | unsignedMessage[1]);
        var variables = new TsigRecord(key.Name + ".", key.WireAlgorithmName, (ulong)time.GetUtcNow().ToUnixTimeSeconds(), Fudge, [], id, TsigError.NoError, []);
        var mac = TsigMac.Compute(key, [], hasPriorMac: false, unsignedMessage, variables, timersOnly: false);
        priorMac = mac;
        return TsigMac.Append(unsignedMessage, variables with { Mac = mac });
    }

    /// <summary>Checks one response message, in the order received.</summary>
    public TsigCheck Verify(ReadOnlySpan<byte> raw, DnsMessage message)
    {
        var first = responsesSeen++ == 0;
        var tsig = message.Tsig;
        if (tsig is null)
        {
            LastResponseSigned = false;
            if (first)
                return new TsigCheck(false, "the response is not TSIG-signed");
            if (unsignedSinceLastSigned.Count >= MaxUnsignedInARow)
                return new TsigCheck(false, $"more than {MaxUnsignedInARow} unsigned messages in a row");
            unsignedSinceLastSigned.Add(raw.ToArray());
            return TsigCheck.Deferred;
        }

        if (!string.Equals(tsig.KeyName.TrimEnd('.'), key.Name, StringComparison.OrdinalIgnoreCase))
            return new TsigCheck(false, $"the response is signed with key '{tsig.KeyName.TrimEnd('.')}', not '{key.Name}'", tsig.Error == TsigError.NoError ? null : tsig.Error);

        // An error the server reports comes with an empty MAC (BADKEY, BADSIG), so there is nothing to verify.
        if (tsig.Error != TsigError.NoError && tsig.Mac.Length == 0)
            return new TsigCheck(false, "the server rejected the request's signature", tsig.Error);

        if (!string.Equals(tsig.Algorithm, key.WireAlgorithmName, StringComparison.OrdinalIgnoreCase))
            return new TsigCheck(false, $"the response is signed with {tsig.Algorithm.TrimEnd('.')}, not {key.BindAlgorithmName}", tsig.Error == TsigError.NoError ? null : tsig.Error);

        // A MAC may be truncated (RFC 8945 §5.2.2.1), but never below 10 bytes or half the hash.
        if (tsig.Mac.Length > key.MacLength || tsig.Mac.Length < Math.Max(10, key.MacLength / 2))
            return new TsigCheck(false, $"the response's MAC has an invalid length of {tsig.Mac.Length} bytes");

        var messages = new List<byte>();
        foreach (var previous in unsignedSinceLastSigned)
            messages.AddRange(previous);
        messages.AddRange(TsigMac.Unsigned(raw, message));
        var expected = TsigMac.Compute(key, priorMac, hasPriorMac: true, [.. messages], tsig, timersOnly: !first);
        if (!CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, tsig.Mac.Length), tsig.Mac))
            return new TsigCheck(false, "the response's TSIG signature does not verify with our key");

        priorMac = tsig.Mac;
        unsignedSinceLastSigned.Clear();
        LastResponseSigned = true;

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var skew = Math.Abs(now - (long)tsig.TimeSigned);
        if (skew > tsig.Fudge)
            return new TsigCheck(false, $"the response was signed {skew} s away from our clock (fudge {tsig.Fudge} s)", TsigError.BadTime);

        return tsig.Error == TsigError.NoError ? TsigCheck.Ok : new TsigCheck(false, "the server reported a TSIG error", tsig.Error);
    }
}
