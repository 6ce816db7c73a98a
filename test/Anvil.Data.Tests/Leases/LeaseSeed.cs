using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Testing.Postgres;
using Dapper;

namespace Anvil.Data.Tests.Leases;

/// <summary>
/// The same starting rows in every database a lease test makes: an IPv4 and an IPv6 subnet on
/// the default VLAN with dynamic ranges, and a machine <c>taken</c> whose eth0 carries
/// <see cref="KnownMac"/>.
/// </summary>
internal static class LeaseSeed
{
    public const long V4Subnet = 901;
    public const long V6Subnet = 902;
    public const long NodeId = 900;
    public const string NodeHostname = "taken";
    public const string KnownMac = "52:54:00:aa:00:01";
    public static readonly DateTimeOffset At = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            $"""
            INSERT INTO subnet (id, name, vlan_id, cidr) VALUES ({V4Subnet}, 'lease-v4', 5001, '10.77.0.0/24'), ({V6Subnet}, 'lease-v6', 5001, 'fd77::/64');
            INSERT INTO iprange (subnet_id, type, start_ip, end_ip) VALUES
                ({V4Subnet}, 'dynamic', '10.77.0.10', '10.77.0.60'), ({V6Subnet}, 'dynamic', 'fd77::10', 'fd77::60');
            INSERT INTO node (id, system_id, hostname, node_type, domain_id, zone_id) VALUES ({NodeId}, 'lease01', '{NodeHostname}', 0, 0, 1);
            INSERT INTO interface (node_id, name, mac_address) VALUES ({NodeId}, 'eth0', '{KnownMac}');
            """);
        return database;
    }

    public static string V4(int host) => $"10.77.0.{host}";

    public static string V6(int host) => $"fd77::{host:x}";

    public static LeaseEvent Commit(string mac, string ip, string? hostname = null, int second = 0) =>
        new(LeaseAction.Commit, ip.Contains(':', StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4, mac, ip, hostname, At.AddSeconds(second), 600);

    public static LeaseEvent Expiry(string mac, string ip, int second = 0) => Commit(mac, ip, null, second) with { Action = LeaseAction.Expiry, LeaseTime = 0 };

    public static LeaseEvent Release(string mac, string ip, int second = 0) => Commit(mac, ip, null, second) with { Action = LeaseAction.Release, LeaseTime = 0 };
}
