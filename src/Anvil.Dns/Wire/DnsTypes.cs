using System.Globalization;

namespace Anvil.Dns.Wire;

/// <summary>Type mnemonics as zone files and dig spell them.</summary>
public static class DnsTypes
{
    /// <summary>Parses a mnemonic (<c>A</c>, <c>aaaa</c>) or the RFC 3597 form <c>TYPE65</c>, case-insensitively.</summary>
    public static bool TryParse(string mnemonic, out DnsType type)
    {
        type = default;
        if (string.IsNullOrWhiteSpace(mnemonic))
            return false;
        var text = mnemonic.Trim();
        if (text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase))
        {
            if (text.Length > 4 && text[4..].All(char.IsAsciiDigit)
                && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                type = (DnsType)number;
                return true;
            }

            return false;
        }

        // Enum.TryParse would also accept numbers and comma lists; only names count here.
        foreach (var value in Enum.GetValues<DnsType>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                type = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>The mnemonic of a type, or <c>TYPEnnn</c> for a type without one.</summary>
    public static string ToMnemonic(DnsType type) =>
        Enum.IsDefined(type) ? type.ToString() : "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>Types that are carried as data in a zone (not meta types such as OPT, TSIG, AXFR or ANY).</summary>
    internal static bool IsDataType(DnsType type) =>
        type is not (DnsType.OPT or DnsType.TSIG or DnsType.IXFR or DnsType.AXFR or DnsType.ANY)
        && (ushort)type is not (0 or 249 or 253 or 254);
}
