using Npgsql;

namespace Anvil.Benchmarks.Http;

/// <summary>
/// Bulk-inserts machines straight into anvild's database (seeding is not what is measured). Each
/// machine looks like a commissioned server: 2 NICs on the default VLAN (eth0 with a static
/// address on the bench subnet), 2 disks with a partition each, 3 tags, a
/// zone and a pool, CPU/memory/hardware info; half of them deployed and owned by the admin.
/// The shape matches <see cref="Micro.SampleMachines"/>.
/// </summary>
internal sealed class MachineSeeder(NpgsqlDataSource db)
{
    private const string ReferenceData =
        """
        INSERT INTO zone (name, description) VALUES ('rack-a', 'bench zone'), ('rack-b', 'bench zone'), ('rack-c', 'bench zone');
        INSERT INTO resource_pool (name, description) VALUES ('compute', 'bench pool');
        INSERT INTO tag (name) SELECT 'tag-' || t FROM generate_series(0, 9) t;
        INSERT INTO subnet (name, vlan_id, cidr, gateway_ip) VALUES ('bench', 5001, '10.200.0.0/16', '10.200.0.1');
        """;

    // One statement: the data-modifying CTEs all see the nodes inserted by the first.
    private const string Machines =
        """
        WITH zones AS (SELECT array_agg(id ORDER BY name) AS ids FROM zone WHERE name LIKE 'rack-%'),
             pools AS (SELECT array_agg(id ORDER BY id) AS ids FROM resource_pool),
             admin AS (SELECT id FROM users WHERE username = 'admin'),
             n AS (
                 INSERT INTO node (system_id, hostname, node_type, status, owner_id, domain_id, zone_id, pool_id, architecture,
                                   cpu_count, cpu_speed, memory, osystem, distro_series, hardware_uuid, power_type, power_state,
                                   workload_annotations, hardware_info, status_message)
                 SELECT 'm' || lpad(to_hex(g), 5, '0'), 'bench-' || lpad(g::text, 5, '0'), 0,
                        CASE WHEN g % 4 IN (1, 2) THEN 6 ELSE 4 END,
                        CASE WHEN g % 4 IN (1, 2) THEN (SELECT id FROM admin) END,
                        0, zones.ids[1 + g % 3], pools.ids[1 + g % 2], 'amd64/generic',
                        8 << (g % 4), 2100, 16384 << (g % 4),
                        CASE WHEN g % 4 IN (1, 2) THEN 'ubuntu' ELSE '' END,
                        CASE WHEN g % 4 IN (1, 2) THEN 'jammy' ELSE '' END,
                        '4c4c4544-0000-4000-8000-' || lpad(to_hex(g), 12, '0'), 'ipmi',
                        CASE WHEN g % 4 IN (1, 2) THEN 'on' ELSE 'off' END,
                        CASE WHEN g % 4 IN (1, 2) THEN '{"team": "bench"}' ELSE '{}' END::jsonb,
                        jsonb_build_object('system_vendor', 'Dell Inc.', 'system_product', 'PowerEdge R640',
                                           'system_serial', 'SN' || lpad(g::text, 8, '0'),
                                           'cpu_model', 'Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz', 'mainboard_vendor', 'Dell Inc.'),
                        CASE WHEN g % 4 IN (1, 2) THEN 'Deployed' ELSE 'Ready' END
                 FROM generate_series(@from::int, @to::int) g, zones, pools
                 RETURNING id),
             nic AS (
                 INSERT INTO interface (node_id, name, mac_address, mtu, vendor, product, firmware_version, interface_speed, link_speed, vlan_id)
                 SELECT n.id, 'eth' || k, ('5254' || lpad(to_hex(n.id * 2 + k), 8, '0'))::macaddr, 1500,
                        'Intel Corporation', 'Ethernet Controller X710', '8.70', 10000, 10000, 5001
                 FROM n CROSS JOIN generate_series(0, 1) k
                 RETURNING id, node_id, name),
             addr AS (
                 INSERT INTO staticipaddress (ip, alloc_type, subnet_id)
                 SELECT '10.200.0.1'::inet + n.id, 1, (SELECT id FROM subnet WHERE name = 'bench') FROM n
                 RETURNING id, ip),
             linked AS (
                 INSERT INTO interface_ip (interface_id, staticipaddress_id)
                 SELECT nic.id, addr.id FROM addr JOIN nic ON nic.node_id = addr.ip - '10.200.0.1'::inet AND nic.name = 'eth0'),
             disk AS (
                 INSERT INTO blockdevice (node_id, name, model, serial, id_path, size, block_size, tags, is_boot_disk, firmware_version)
                 SELECT n.id, CASE k WHEN 0 THEN 'sda' ELSE 'sdb' END, 'SAMSUNG MZ7LH960', 'S4' || lpad(n.id::text, 8, '0') || k,
                        '/dev/disk/by-id/wwn-0x5002538e' || lpad(to_hex(n.id), 8, '0') || k, 960197124096, 512, '{ssd}', k = 0, 'HXT7404Q'
                 FROM n CROSS JOIN generate_series(0, 1) k
                 RETURNING id),
             part AS (
                 INSERT INTO partition (blockdevice_id, number, size, uuid)
                 SELECT disk.id, 1, 960000000000, gen_random_uuid()::text FROM disk),
             tagged AS (
                 INSERT INTO node_tag (node_id, tag_id)
                 SELECT n.id, t.id FROM n CROSS JOIN generate_series(0, 2) k JOIN tag t ON t.name = 'tag-' || ((n.id + k * 3) % 10))
        SELECT count(*) FROM n;
        """;

    public async Task AddReferenceDataAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(ReferenceData);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds machines number <paramref name="from"/> to <paramref name="to"/> (inclusive), then refreshes planner statistics.</summary>
    public async Task AddMachinesAsync(int from, int to, CancellationToken ct)
    {
        await using (var command = db.CreateCommand(Machines))
        {
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            var added = (long)(await command.ExecuteScalarAsync(ct))!;
            if (added != to - from + 1)
                throw new BenchmarkFailedException($"seeding added {added} machines, expected {to - from + 1}.");
        }

        // What autovacuum would do shortly after a bulk enlistment; without it the first plans are guesses.
        await using var analyze = db.CreateCommand("ANALYZE");
        await analyze.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<string>> SystemIdsAsync(CancellationToken ct)
    {
        var ids = new List<string>();
        await using var command = db.CreateCommand("SELECT system_id FROM node WHERE node_type = 0 ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }
}
