using System.Security.Cryptography;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// An established RMCP+ session's keys: K1 signs every packet (HMAC truncated to the suite's
/// integrity length, over the session header through next header), K2's first 16 bytes are the
/// AES-CBC-128 key. Encrypted payloads are a random IV, then the data, pad bytes 1, 2, 3 … and the
/// pad length, ciphered to a multiple of 16 bytes.
/// </summary>
internal sealed class SessionKeys : IDisposable
{
    private const int Block = 16;
    private readonly byte[] integrityKey;
    private readonly Aes aes;

    public SessionKeys(CipherSuite suite, ReadOnlySpan<byte> k1, ReadOnlySpan<byte> k2)
    {
        Suite = suite;
        integrityKey = k1.ToArray();
        aes = Aes.Create();
        aes.Key = k2[..Block].ToArray();
    }

    public CipherSuite Suite { get; }

    public void Sign(ReadOnlySpan<byte> covered, Span<byte> destination) =>
        Suite.Hmac(integrityKey, covered).AsSpan(0, Suite.IntegrityLength).CopyTo(destination);

    public bool Verify(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> authCode) =>
        authCode.Length == Suite.IntegrityLength &&
        CryptographicOperations.FixedTimeEquals(Suite.Hmac(integrityKey, covered).AsSpan(0, Suite.IntegrityLength), authCode);

    public byte[] Encrypt(ReadOnlySpan<byte> payload) => Encrypt(payload, RandomNumberGenerator.GetBytes(Block));

    /// <summary>Encrypts with a given IV, so tests can check the layout against fixed vectors.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> iv)
    {
        var pad = (Block - ((payload.Length + 1) % Block)) % Block;
        var plain = new byte[payload.Length + pad + 1];
        payload.CopyTo(plain);
        for (var i = 0; i < pad; i++)
            plain[payload.Length + i] = (byte)(i + 1);
        plain[^1] = (byte)pad;
        var result = new byte[Block + plain.Length];
        iv.CopyTo(result);
        aes.EncryptCbc(plain, iv, result.AsSpan(Block), PaddingMode.None);
        return result;
    }

    public bool TryDecrypt(ReadOnlySpan<byte> body, out byte[] payload)
    {
        payload = [];
        if (body.Length < 2 * Block || body.Length % Block != 0)
            return false;
        var plain = new byte[body.Length - Block];
        if (!aes.TryDecryptCbc(body[Block..], body[..Block], plain, out var written, PaddingMode.None) || written != plain.Length)
            return false;
        int pad = plain[^1];
        if (pad >= Block || pad + 1 > plain.Length)
            return false;
        payload = plain.AsSpan(0, plain.Length - pad - 1).ToArray();
        return true;
    }

    public void Dispose() => aes.Dispose();
}
