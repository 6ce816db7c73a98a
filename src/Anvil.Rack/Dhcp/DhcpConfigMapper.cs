using Anvil.Domain.Dhcp;
using Anvil.Domain.Ipam;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Dhcp;

/// <summary>The region's DHCP config as it arrives over the link → what the DHCP server serves.</summary>
internal static class DhcpConfigMapper
{
    public static DhcpServerConfig Map(DhcpConfigDto dto) =>
        new(
            [.. dto.Subnets.Select(s => new DhcpSubnetConfig(
                s.SubnetId,
                IpNetwork.Parse(s.Cidr),
                s.Interface,
                IpAddress.Parse(s.ServerAddress),
                [.. s.DynamicRanges.Select(r => new IpRange(IpAddress.Parse(r[0]), IpAddress.Parse(r[1])))])
            {
                Gateway = s.Gateway is null ? null : IpAddress.Parse(s.Gateway),
                DnsServers = [.. s.DnsServers.Select(IpAddress.Parse)],
                NtpServers = [.. s.NtpServers.Select(IpAddress.Parse)],
                DomainName = s.DomainName,
                DomainSearch = s.DomainSearch,
                Mtu = s.Mtu,
                DisabledBootArchitectures = s.DisabledBootArchitectures,
                Options = DhcpOptionsJson.Deserialize(s.Options),
            })],
            [.. dto.Hosts.Select(h => new DhcpHostReservation(h.Mac, IpAddress.Parse(h.Address), h.Hostname) { Options = DhcpOptionsJson.Deserialize(h.Options) })])
        {
            DefaultLeaseSeconds = dto.DefaultLeaseSeconds,
            PxeLeaseSeconds = dto.PxeLeaseSeconds,
            GlobalOptions = DhcpOptionsJson.Deserialize(dto.GlobalOptions),
        };
}
