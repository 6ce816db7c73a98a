using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anvil.Domain.Network;

/// <summary>
/// Strict address text and address arithmetic. Dotted quads need four parts (IPAddress.TryParse
/// takes "10" or "1.2" as addresses, which MAAS treats as ids and names); addresses become
/// 128-bit numbers so that ranges of either family are plain integer intervals.
/// </summary>
public static class IpAddresses
{
    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
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
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>The address when it parses, else null.</summary>
    public static IPAddress? ParseOrNull(string? text) => TryParse(text, out var address) ? address : null;

    public static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes())
            value = (value << 8) | b;
        return value;
    }

    public static IPAddress FromNumber(UInt128 value, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    public static int VersionOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;

    /// <summary>fe80::/10, where IPv6 gateways may live outside the subnet.</summary>
    public static bool IsLinkLocal(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv6LinkLocal;

    /// <summary>
    /// A list of addresses separated by commas and/or whitespace (MAAS's IP list fields, e.g.
    /// <c>dns_servers=8.8.8.8, 8.8.4.4</c>). Returns the addresses, or the first entry that is not one.
    /// </summary>
    public static (IReadOnlyList<IPAddress> Addresses, string? Invalid) ParseList(IEnumerable<string> values)
    {
        var addresses = new List<IPAddress>();
        foreach (var value in values)
        {
            foreach (var item in value.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryParse(item, out var address))
                    return ([], item);
                addresses.Add(address);
            }
        }

        return (addresses, null);
    }
}
