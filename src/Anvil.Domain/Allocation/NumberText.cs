using System.Globalization;

namespace Anvil.Domain.Allocation;

/// <summary>Numbers in constraint and specifier text, read the way MAAS's Python reads them.</summary>
internal static class NumberText
{
    /// <summary>Python's <c>int()</c> plus the <c>0x</c>/<c>0b</c> forms MAAS's <c>parse_integer</c> accepts.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var t = text.Trim();
        if (t.Length > 2 && t[0] == '0' && (t[1] is 'x' or 'X'))
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (t.Length > 2 && t[0] == '0' && (t[1] is 'b' or 'B'))
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out value);
        return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Python's <c>float()</c> for the forms clients send.</summary>
    public static bool TryParseFloat(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
}
