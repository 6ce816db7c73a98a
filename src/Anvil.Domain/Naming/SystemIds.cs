namespace Anvil.Domain.Naming;

/// <summary>
/// MAAS system ids: a random number in [24^5, 24^6) written in base 24 with an alphabet that
/// avoids look-alike characters, so ids are 6 characters and easy to read aloud.
/// </summary>
public static class SystemIds
{
    private const string Alphabet = "34678abcdefghkmnpqrstwxy";
    private const long Min = 24L * 24 * 24 * 24 * 24;
    private const long Max = Min * 24;

    public static string Generate(Random random)
    {
        var value = random.NextInt64(Min, Max);
        Span<char> chars = stackalloc char[6];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 24)];
            value /= 24;
        }

        return new string(chars);
    }

    public static bool IsWellFormed(string value) =>
        value.Length is 5 or 6 && value.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
