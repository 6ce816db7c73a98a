namespace Anvil.Domain.Allocation;

internal static class MacAddressText
{
    /// <summary>
    /// <c>aa:bb:cc:dd:ee:ff</c> for the usual spellings (colons, dashes, Cisco dots, bare hex), or null.
    /// </summary>
    public static string? Normalize(string text)
    {
        var hex = new char[12];
        var count = 0;
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiHexDigit(c))
            {
                if (count == 12)
                    return null;
                hex[count++] = char.ToLowerInvariant(c);
            }
            else if (c is not (':' or '-' or '.'))
            {
                return null;
            }
        }
        if (count != 12)
            return null;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => new string(hex, i * 2, 2)));
    }
}
