using Anvil.Domain.Ipam;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>A whole <see cref="DhcpServerConfig"/> compiled: subnets by interface, reservations by MAC and address.</summary>
internal sealed class ServedConfig
{
    private readonly Dictionary<string, ServedSubnet[]> byInterface;
    private readonly Dictionary<uint, ServedSubnet[]> byRelay = [];

    public ServedConfig(DhcpServerConfig config)
    {
        Source = config;
        Subnets = [.. config.Subnets.Where(s => s.Cidr.Family == IpFamily.V4).Select(s => new ServedSubnet(s, config.GlobalOptions))];
        byInterface = Subnets.Where(s => s.Config.Interface is not null)
            .GroupBy(s => s.Config.Interface!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var reservation in config.Hosts)
        {
            if (reservation.Address.Family != IpFamily.V4 || !MacAddressText.TryParse(reservation.Mac, out var mac))
                continue;
            var address = (uint)reservation.Address.Value;
            var subnet = Subnets.FirstOrDefault(s => s.Contains(address));
            var host = new ServedHost(reservation, mac, subnet);
            Hosts[mac] = host;
            ReservedAddresses[address] = host;
            subnet?.Pool.TryMark(address);
        }
    }

    public static ServedConfig Empty { get; } = new(DhcpServerConfig.Empty);

    public DhcpServerConfig Source { get; }

    public IReadOnlyList<ServedSubnet> Subnets { get; }

    public Dictionary<ulong, ServedHost> Hosts { get; } = [];

    public Dictionary<uint, ServedHost> ReservedAddresses { get; } = [];

    /// <summary>The interfaces the server listens on.</summary>
    public IReadOnlyCollection<string> Interfaces => byInterface.Keys;

    /// <summary>
    /// The subnets a request may be served from: those holding the relay address when relayed
    /// (RFC 2131 §4.3.1), else those of the receiving interface.
    /// </summary>
    public ReadOnlySpan<ServedSubnet> CandidatesFor(uint relayAddress, string? interfaceName)
    {
        if (relayAddress != 0)
        {
            if (!byRelay.TryGetValue(relayAddress, out var relayed))
            {
                relayed = [.. Subnets.Where(s => s.Contains(relayAddress))];
                if (byRelay.Count < 4096)
                    byRelay[relayAddress] = relayed;
            }

            return relayed;
        }

        return interfaceName is not null && byInterface.TryGetValue(interfaceName, out var local) ? local : default;
    }

    /// <summary>The served subnet whose block holds the address.</summary>
    public ServedSubnet? SubnetOf(uint address)
    {
        foreach (var subnet in Subnets)
        {
            if (subnet.Contains(address))
                return subnet;
        }

        return null;
    }
}
