using Anvil.Testing.Postgres;
using Dapper;

namespace Anvil.Data.Tests.Leases;

/// <summary>
/// What lease processing leaves behind, without row ids (which depend on how many rows were
/// made and dropped on the way): interfaces, DISCOVERED addresses by MAC, DNS names and their
/// addresses, each as a sorted list.
/// </summary>
internal sealed record LeaseState(
    IReadOnlyList<string> Interfaces,
    IReadOnlyList<string> Discovered,
    IReadOnlyList<string> Names)
{
    public static async Task<LeaseState> ReadAsync(TestDatabase database)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        return new LeaseState(
            await ListAsync(c, "SELECT concat_ws(' ', mac_address, name, type, node_id, vlan_id) FROM interface"),
            await ListAsync(
                c,
                """
                SELECT concat_ws(' ', i.mac_address, coalesce(host(a.ip), '-'), a.subnet_id, a.lease_time, a.created)
                FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id JOIN interface i ON i.id = l.interface_id
                WHERE a.alloc_type = 6
                """),
            await ListAsync(
                c,
                """
                SELECT concat_ws(' ', r.name, coalesce(host(a.ip), '-'))
                FROM dnsresource r LEFT JOIN dnsresource_ip x ON x.dnsresource_id = r.id LEFT JOIN staticipaddress a ON a.id = x.staticipaddress_id
                """));
    }

    private static async Task<IReadOnlyList<string>> ListAsync(Npgsql.NpgsqlConnection c, string sql) =>
        [.. (await c.QueryAsync<string>(sql)).Order(StringComparer.Ordinal)];
}
