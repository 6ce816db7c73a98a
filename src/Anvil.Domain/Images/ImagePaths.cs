namespace Anvil.Domain.Images;

/// <summary>
/// Where a boot resource file is served below a rack's <c>/images/</c> (maas-api.md §8.2):
/// <c>&lt;short sha256&gt;/&lt;os&gt;/&lt;arch&gt;/&lt;subarch&gt;/&lt;series&gt;/&lt;label&gt;/&lt;filename&gt;</c>, where the short
/// sha256 is the shortest prefix (at least 7 hex digits) that no other stored file shares.
/// </summary>
public static class ImagePaths
{
    public const int MinimumPrefix = 7;

    public static string For(string shortSha, BootResourceName name, BootArchitecture architecture, string label, string filename) =>
        $"{shortSha}/{name.Os}/{architecture.Arch}/{architecture.Subarch}/{name.Series}/{label}/{filename}";

    /// <summary>The shortest unique prefix of each sha256 among <paramref name="sha256s"/> (duplicates share theirs).</summary>
    public static IReadOnlyDictionary<string, string> ShortShas(IEnumerable<string> sha256s)
    {
        var sorted = sha256s.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, string>(sorted.Count, StringComparer.Ordinal);
        for (var i = 0; i < sorted.Count; i++)
        {
            // In sorted order the longest common prefix with any other value is with a neighbour.
            var shared = Math.Max(
                i > 0 ? CommonPrefix(sorted[i], sorted[i - 1]) : 0,
                i + 1 < sorted.Count ? CommonPrefix(sorted[i], sorted[i + 1]) : 0);
            result[sorted[i]] = sorted[i][..Math.Min(sorted[i].Length, Math.Max(MinimumPrefix, shared + 1))];
        }

        return result;
    }

    /// <summary>Whether a path's first segment looks like a short sha256 (so a rack may manage it).</summary>
    public static bool IsShortSha(ReadOnlySpan<char> segment) =>
        segment.Length is >= MinimumPrefix and <= 64 && Sha256Text.IsHex(segment);

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
            n++;
        return n;
    }
}
