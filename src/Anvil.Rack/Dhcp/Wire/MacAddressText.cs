namespace Anvil.Rack.Dhcp.Wire;

/// <summary>MACs as 48-bit numbers and as <c>aa:bb:cc:dd:ee:ff</c> text.</summary>
internal static class MacAddressText
{
    public static string Format(ulong mac) => string.Create(17, mac, static (chars, value) =>
    {
        for (var i = 0; i < 6; i++)
        {
            var octet = (int)((value >> (8 * (5 - i))) & 0xFF);
            chars[i * 3] = "0123456789abcdef"[octet >> 4];
            chars[(i * 3) + 1] = "0123456789abcdef"[octet & 0xF];
            if (i < 5)
                chars[(i * 3) + 2] = ':';
        }
    });

    /// <summary>Reads <c>aa:bb:cc:dd:ee:ff</c> or <c>aa-bb-…</c> (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out ulong mac)
    {
        mac = 0;
        if (text is null || text.Length != 17)
            return false;
        for (var i = 0; i < 6; i++)
        {
            if (i > 0 && text[(i * 3) - 1] is not (':' or '-'))
                return false;
            var high = HexValue(text[i * 3]);
            var low = HexValue(text[(i * 3) + 1]);
            if (high < 0 || low < 0)
                return false;
            mac = (mac << 8) | (uint)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => -1,
    };
}
