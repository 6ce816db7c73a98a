using System.Security.Cryptography;
using System.Text;

namespace Anvil.Data.Users;

/// <summary>Random key material and the hashes Anvil stores instead of secrets.</summary>
public static class Credentials
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int Pbkdf2Iterations = 210_000;

    /// <summary>A random string over [A-Za-z0-9] (MAAS: 18 chars for keys, 32 for secrets).</summary>
    public static string RandomKey(int length) => RandomNumberGenerator.GetString(KeyAlphabet, length);

    /// <summary>Token secrets carry ~190 bits of entropy, so a fast hash is safe for them (unlike passwords).</summary>
    public static byte[] HashTokenSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool TokenSecretMatches(string presented, byte[] storedSha256) =>
        CryptographicOperations.FixedTimeEquals(HashTokenSecret(presented), storedSha256);

    /// <summary>PBKDF2-SHA256, stored as <c>pbkdf2_sha256$iterations$salt$hash</c> (Django's layout).</summary>
    public static string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2_sha256${Pbkdf2Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool PasswordMatches(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2_sha256" || !int.TryParse(parts[1], out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
