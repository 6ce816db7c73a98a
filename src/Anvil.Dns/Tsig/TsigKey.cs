using System.Security.Cryptography;

namespace Anvil.Dns.Tsig;

/// <summary>
/// A shared TSIG key: its DNS name (e.g. <c>anvil.</c>), algorithm and secret. The same key goes
/// into BIND's configuration (a <c>key</c> statement) and signs every UPDATE and zone transfer.
/// </summary>
public sealed class TsigKey
{
    public TsigKey(string name, TsigAlgorithm algorithm, byte[] secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0)
            throw new ArgumentException("A TSIG secret cannot be empty.", nameof(secret));
        Name = name.TrimEnd('.').ToLowerInvariant();
        Algorithm = algorithm;
        Secret = secret;
    }

    /// <summary>The key name without the trailing dot, lower case.</summary>
    public string Name { get; }

    public TsigAlgorithm Algorithm { get; }

    public byte[] Secret { get; }

    /// <summary>The secret as BIND writes it in a key statement.</summary>
    public string SecretBase64 => Convert.ToBase64String(Secret);

    /// <summary>The algorithm's name as BIND's configuration spells it.</summary>
    public string BindAlgorithmName => Algorithm switch
    {
        TsigAlgorithm.HmacSha256 => "hmac-sha256",
        TsigAlgorithm.HmacSha512 => "hmac-sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm)),
    };

    /// <summary>A new random key with a secret as long as the algorithm's output, as tsig-keygen makes.</summary>
    public static TsigKey Generate(string name, TsigAlgorithm algorithm = TsigAlgorithm.HmacSha512) =>
        new(name, algorithm, RandomNumberGenerator.GetBytes(algorithm == TsigAlgorithm.HmacSha512 ? 64 : 32));

    /// <summary>The algorithm's name as it goes on the wire in a TSIG record (RFC 8945 §6).</summary>
    internal string WireAlgorithmName => BindAlgorithmName + ".";

    internal HashAlgorithmName HashAlgorithm => Algorithm == TsigAlgorithm.HmacSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    /// <summary>The length of a full (untruncated) MAC in bytes.</summary>
    internal int MacLength => Algorithm == TsigAlgorithm.HmacSha512 ? 64 : 32;

    /// <summary>Reads the algorithm from its BIND or wire name (<c>hmac-sha256</c>, <c>HMAC-SHA512.</c>).</summary>
    public static bool TryParseAlgorithm(string name, out TsigAlgorithm algorithm)
    {
        switch (name?.TrimEnd('.').ToLowerInvariant())
        {
            case "hmac-sha256":
                algorithm = TsigAlgorithm.HmacSha256;
                return true;
            case "hmac-sha512":
                algorithm = TsigAlgorithm.HmacSha512;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"{Name} ({BindAlgorithmName})";
}
