using System.Security.Cryptography;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// The RMCP+ cipher suites Anvil speaks: 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128) and 17
/// (RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128). Both encrypt; suites without confidentiality
/// or with MD5 are refused on purpose.
/// </summary>
internal sealed record CipherSuite(
    int Id,
    byte AuthenticationAlgorithm,
    byte IntegrityAlgorithm,
    byte ConfidentialityAlgorithm,
    HashAlgorithmName Hash,
    int HashLength,
    int IntegrityLength,
    int Rakp4Length)
{
    public const byte AesCbc128 = 0x01;

    public static CipherSuite Suite3 { get; } = new(3, 0x01, 0x01, AesCbc128, HashAlgorithmName.SHA1, 20, 12, 12);

    public static CipherSuite Suite17 { get; } = new(17, 0x03, 0x04, AesCbc128, HashAlgorithmName.SHA256, 32, 16, 16);

    public static CipherSuite? FromId(string id) => id.Trim() switch
    {
        "3" => Suite3,
        "17" => Suite17,
        _ => null,
    };

    /// <summary>HMAC with this suite's hash, full length.</summary>
    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        Hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HmacSha1(key, data);

    // SHA-1 is what the IPMI 2.0 spec mandates for cipher suite 3; here it is an HMAC, not a bare digest.
#pragma warning disable CA5350
    private static byte[] HmacSha1(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA1.HashData(key, data);
#pragma warning restore CA5350
}
