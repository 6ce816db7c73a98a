using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anvil.Domain.Allocation;

/// <summary>
/// Strict address and network parsing: dotted quads must have four parts (IPAddress.TryParse
/// would take "10" or "1.2" as addresses, which MAAS treats as ids and names).
/// </summary>
internal static class IpText
{
    public static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Length == 0)
            return false;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            address = v6.ScopeId == 0 ? v6 : new IPAddress(v6.GetAddressBytes());
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || !byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Parses <c>addr</c> or <c>addr/len</c> and clears host bits (netaddr's <c>.cidr</c>).</summary>
    public static bool TryParseNetwork(string text, out IpNetworkValue network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressText, out var address))
            return false;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
                return false;
        }
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < max; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        network = new IpNetworkValue(new IPAddress(bytes), prefix);
        return true;
    }

    /// <summary>The canonical text of an address when it parses, else the text itself.</summary>
    public static string NormalizeAddress(string text) => TryParseAddress(text.Trim(), out var a) ? a.ToString() : text;

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

internal readonly record struct IpNetworkValue(IPAddress Network, int PrefixLength)
{
    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily)
            return false;
        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        for (var bit = 0; bit < PrefixLength; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
                return false;
        }
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
