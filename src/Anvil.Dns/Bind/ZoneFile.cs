using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Dns.Bind;

/// <summary>
/// The file a new zone starts from: SOA, the apex NS record and glue for it. Everything else reaches
/// the zone later as dynamic updates, which named keeps in the zone's journal.
/// </summary>
public static class ZoneFile
{
    // MAAS's SOA: refresh 600, retry 1800, expire 604800; the minimum is the zone's TTL.
    private const int Refresh = 600;
    private const int Retry = 1800;
    private const int Expire = 604800;
    private const string Contact = "nobody.example.com.";

    public static string Render(NamedZone zone, uint serial)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var name = BindName.Normalise(zone.Name, "zone name");
        var nameServer = BindName.Normalise(zone.NameServer, "name server");
        if (zone.Ttl < 0)
            throw new ArgumentException($"The TTL of zone '{name}' cannot be negative.", nameof(zone));

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"; Written by Anvil when the zone was added; records arrive as dynamic updates.\n");
        text.Append(CultureInfo.InvariantCulture, $"$ORIGIN {name}.\n");
        text.Append(CultureInfo.InvariantCulture, $"$TTL {zone.Ttl}\n");
        text.Append(CultureInfo.InvariantCulture, $"@ IN SOA {name}. {Contact} ({serial:D10} {Refresh} {Retry} {Expire} {zone.Ttl})\n");
        text.Append(CultureInfo.InvariantCulture, $"@ IN NS {nameServer}.\n");
        if (BindName.IsInZone(nameServer, name))
        {
            foreach (var address in zone.NameServerAddresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct())
            {
                var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";
                text.Append(CultureInfo.InvariantCulture, $"{nameServer}. IN {type} {address}\n");
            }
        }

        return text.ToString();
    }
}
