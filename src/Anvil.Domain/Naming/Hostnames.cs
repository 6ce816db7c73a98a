using System.Text.RegularExpressions;

namespace Anvil.Domain.Naming;

/// <summary>Hostname rules (RFC 1123 labels) and the friendly two-word names given to machines that enlist without one.</summary>
public static partial class Hostnames
{
    private static readonly string[] Adjectives =
    [
        "able", "brave", "calm", "clever", "cool", "crisp", "deep", "eager", "fair", "fast",
        "fine", "fit", "fond", "glad", "good", "grand", "great", "happy", "hardy", "keen",
        "kind", "large", "lucky", "merry", "mint", "neat", "nice", "noble", "novel", "prime",
        "proud", "quick", "quiet", "rapid", "ready", "rich", "sharp", "smart", "solid", "steady",
        "still", "sunny", "sure", "swift", "tidy", "true", "vast", "warm", "wise", "young",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "bat", "bear", "bee", "bison", "boar", "cat", "cod", "crab", "crow",
        "deer", "dog", "dove", "duck", "eagle", "eel", "elk", "emu", "finch", "fish",
        "fox", "frog", "goat", "gull", "hare", "hawk", "heron", "horse", "ibex", "jay",
        "koala", "lark", "lion", "lynx", "mole", "moose", "mouse", "newt", "owl", "panda",
        "pike", "puma", "quail", "ram", "raven", "seal", "shark", "swan", "tiger", "wolf",
    ];

    public static string Generate(Random random) =>
        $"{Adjectives[random.Next(Adjectives.Length)]}-{Nouns[random.Next(Nouns.Length)]}";

    /// <summary>True for a valid host name: labels of letters, digits and inner hyphens, 1–63 chars each.</summary>
    public static bool IsValid(string hostname) =>
        hostname.Length is > 0 and <= 253 && hostname.Split('.').All(l => LabelRegex().IsMatch(l));

    [GeneratedRegex("^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")]
    private static partial Regex LabelRegex();
}
