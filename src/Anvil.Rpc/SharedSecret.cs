using System.Security.Cryptography;

namespace Anvil.Rpc;

/// <summary>
/// The secret that regions and racks share (MAAS's <c>rpc_shared_secret</c>): at least 16 random
/// bytes, written as hex. It never crosses the link; each side proves it knows it by answering the
/// other's challenge (<see cref="LinkHandshake"/>).
/// </summary>
public sealed class SharedSecret
{
    public const int MinimumBytes = 16;

    private readonly byte[] key;

    private SharedSecret(byte[] key) => this.key = key;

    public static SharedSecret Generate() => new(RandomNumberGenerator.GetBytes(32));

    public static bool TryParse(string? text, out SharedSecret secret)
    {
        secret = null!;
        var hex = text?.Trim() ?? "";
        if (hex.Length < MinimumBytes * 2 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            return false;
        secret = new SharedSecret(Convert.FromHexString(hex));
        return true;
    }

    public static SharedSecret Parse(string text) =>
        TryParse(text, out var secret) ? secret : throw new FormatException($"A shared secret is at least {MinimumBytes * 2} hex digits.");

    public string ToHex() => Convert.ToHexStringLower(key);

    /// <summary>HMAC-SHA256 of the parts, each length-prefixed so that no two part lists collide.</summary>
    internal byte[] Sign(params string[] parts)
    {
        using var stream = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }

        return HMACSHA256.HashData(key, stream.ToArray());
    }

    /// <summary>Whether <paramref name="digest"/> is the signature of the parts, compared in constant time.</summary>
    internal bool Verify(byte[] digest, params string[] parts) => CryptographicOperations.FixedTimeEquals(Sign(parts), digest);

    public override string ToString() => "SharedSecret(****)";
}
