namespace Anvil.Dns.Tsig;

/// <summary>The TSIG MAC algorithms Anvil signs with (RFC 8945 §6); MAAS uses HMAC-SHA512.</summary>
public enum TsigAlgorithm
{
    HmacSha256,
    HmacSha512,
}
