using System.Net;
using Anvil.Region.Dns;

namespace Anvil.Server;

/// <summary>The region's DNS settings as anvild's flags give them.</summary>
internal static class DnsRole
{
    /// <summary>Null when the region serves no DNS (<c>--dns off</c>).</summary>
    public static DnsOptions? Options(AnvildOptions options)
    {
        if (!options.IsRegion || options.Dns != "embedded")
            return null;
        var listen = options.DnsListenEndpoints;
        var first = listen[0];
        // Other regions send updates to the address racks know this region by when named listens
        // on every address; loopback when that is not an address either.
        var advertised = first.Address.Equals(IPAddress.Any) || first.Address.Equals(IPAddress.IPv6Any)
            ? IPAddress.TryParse(new Uri(options.PublicUrl()).Host.Trim('[', ']'), out var host) ? host : IPAddress.Loopback
            : first.Address;
        return new DnsOptions
        {
            RegionName = options.PublicUrl(),
            NamedDirectory = Path.Combine(options.DataDir, "bind"),
            Listen = listen,
            ControlPort = options.DnsControlPort,
            ServerEndpoint = new IPEndPoint(advertised, first.Port),
            NameServerHost = HostLabel(Environment.MachineName),
            NameServerAddresses = [advertised],
        };
    }

    /// <summary>The machine's name as one DNS label: letters, digits and hyphens.</summary>
    private static string HostLabel(string name)
    {
        var label = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return label.Length is > 0 and <= 63 ? label : "anvil";
    }
}
