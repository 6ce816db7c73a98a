namespace Anvil.Dns.Bind;

/// <summary>
/// Checks names before they go into named's configuration and file names: only letters, digits,
/// hyphens and underscores in dot-separated labels, so nothing can break out of a quoted string or a
/// path.
/// </summary>
internal static class BindName
{
    /// <summary>The name lower case without the trailing dot; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static string Normalise(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normal = name.TrimEnd('.').ToLowerInvariant();
        if (normal.Length is 0 or > 253)
            throw new ArgumentException($"The {what} '{name}' is not a domain name.", nameof(name));
        foreach (var label in normal.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(IsLabelCharacter))
                throw new ArgumentException($"The {what} '{name}' is not a domain name.", nameof(name));
        }

        return normal;
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or lies below it (both normalised).</summary>
    public static bool IsInZone(string name, string zone) =>
        name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);

    private static bool IsLabelCharacter(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
