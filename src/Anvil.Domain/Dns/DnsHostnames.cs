using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Domain.Dns;

/// <summary>Host labels MAAS derives for DNS from an interface name or an address.</summary>
public static class DnsHostnames
{
    /// <summary>
    /// The label for a node's non-boot interface (<c>&lt;label&gt;.&lt;hostname&gt;.&lt;domain&gt;</c>):
    /// underscores become hyphens, then everything before the first letter and after the last letter
    /// or digit is dropped, so the label starts with a letter and ends with a letter or digit as
    /// RFC 952 wants (<c>1_eth-0_</c> → <c>eth-0</c>). Lower case. Empty when the name has no letter.
    /// </summary>
    public static string InterfaceBased(string interfaceName)
    {
        var name = interfaceName.Replace('_', '-').ToLowerInvariant().AsSpan();
        var start = 0;
        while (start < name.Length && !char.IsAsciiLetter(name[start]))
        {
            start++;
        }

        var end = name.Length;
        while (end > start && !char.IsAsciiLetterOrDigit(name[end - 1]))
        {
            end--;
        }

        return name[start..end].ToString();
    }

    /// <summary>
    /// The name MAAS makes from an address: IPv4 dots become hyphens (<c>10-0-0-5</c>); IPv6 is
    /// written with all eight groups (no <c>::</c>) and colons become hyphens; IPv4-mapped IPv6 is
    /// written as the IPv4 address.
    /// </summary>
    public static string IpBased(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address.ToString().Replace('.', '-');
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var text = new StringBuilder(39);
        for (var group = 0; group < 8; group++)
        {
            if (group > 0)
            {
                text.Append('-');
            }

            text.Append(((bytes[2 * group] << 8) | bytes[(2 * group) + 1]).ToString("x", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
