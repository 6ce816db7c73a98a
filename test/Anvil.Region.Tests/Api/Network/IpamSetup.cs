using Anvil.Domain.Ipam;
using Anvil.Region.Tests.Support;
using Dapper;

namespace Anvil.Region.Tests.Api.Network;

/// <summary>
/// Subnets and IP ranges written with SQL (the subnets/ and ipranges/ resources are not what these
/// tests are about), each test with its own subnet carved from a range no other test uses.
/// </summary>
internal sealed class IpamSetup(RegionTestHost host)
{
    private static int s_next;

    /// <summary>A fresh IPv4 block of the given prefix (22 to 30), unique in the process.</summary>
    public static IpNetwork NextV4(int prefix)
    {
        var k = (uint)Interlocked.Increment(ref s_next);
        return new IpNetwork(IpAddress.V4(0x0A000000u + (k << 10)), prefix);
    }

    public static IpNetwork NextV6() =>
        IpNetwork.Parse($"2001:db8:{Interlocked.Increment(ref s_next):x}::/64");

    public async Task<long> CreateSubnetAsync(IpNetwork cidr, string? gateway = null, params string[] dnsServers) =>
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO subnet (name, vlan_id, cidr, gateway_ip, dns_servers)
                VALUES (@name, 5001, @cidr::cidr, @gateway::inet, @dnsServers::inet[]) RETURNING id
                """,
                new { name = cidr.ToString(), cidr = cidr.ToString(), gateway, dnsServers },
                tx)),
            CancellationToken.None);

    public Task AddRangeAsync(long subnetId, string type, string startIp, string endIp) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO iprange (subnet_id, type, start_ip, end_ip) VALUES (@subnetId, @type, @startIp::inet, @endIp::inet)",
                new { subnetId, type, startIp, endIp },
                tx)),
            CancellationToken.None);

    /// <summary>An address held by someone else (a machine's STICKY address).</summary>
    public Task UseAsync(long subnetId, string ip, int allocType = 1) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (@ip::inet, @allocType, @subnetId)",
                new { subnetId, ip, allocType },
                tx)),
            CancellationToken.None);

    public async Task<IReadOnlyList<string>> AddressesOfAsync(long subnetId) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<string>("SELECT host(ip) FROM staticipaddress WHERE subnet_id = @subnetId AND ip IS NOT NULL ORDER BY ip", new { subnetId }),
            CancellationToken.None)).AsList();

    public static IpAddress At(IpNetwork network, uint offset) => network.First.Add(offset);
}
