using Anvil.Domain.Errors;
using Anvil.Domain.Naming;
using Dapper;
using Npgsql;

namespace Anvil.Data.Machines;

/// <summary>Creating, editing and deleting nodes (the lifecycle writes live in <see cref="MachineStore"/>).</summary>
public static class MachineWrites
{
    /// <summary>Inserts a node and a physical interface per MAC (eth0, eth1, …); returns its system id.</summary>
    public static async Task<string> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, NewMachine m, Random random, CancellationToken ct)
    {
        foreach (var mac in m.MacAddresses)
        {
            var holder = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT n.hostname FROM interface i JOIN node n ON n.id = i.node_id WHERE i.mac_address = @mac::macaddr AND i.type = 'physical'",
                new { mac },
                tx,
                cancellationToken: ct));
            if (holder is not null)
                throw new ValidationException("mac_addresses", $"MAC address {mac} already in use on {holder}.");
        }

        if (m.Hostname is not null && await HostnameTakenAsync(c, tx, m.Hostname, null, ct))
            throw new ValidationException("hostname", $"Node with hostname \"{m.Hostname}\" already exists.");

        for (var attempt = 0; ; attempt++)
        {
            var systemId = SystemIds.Generate(random);
            var hostname = m.Hostname ?? (attempt < 20 ? Hostnames.Generate(random) : $"node-{systemId}");
            var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                INSERT INTO node (system_id, hostname, description, node_type, status, architecture, min_hwe_kernel, domain_id, zone_id, pool_id,
                                  owner_id, power_type, power_parameters, enlisting)
                VALUES (@systemId, @hostname, @Description, @nodeType, @status, @Architecture, @MinHweKernel, @DomainId, @ZoneId, @PoolId,
                        @OwnerId, @PowerType, @PowerParametersJson::jsonb, @Enlisting)
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                new
                {
                    systemId,
                    hostname,
                    m.Description,
                    nodeType = (int)m.NodeType,
                    status = (int)m.Status,
                    m.Architecture,
                    m.MinHweKernel,
                    m.DomainId,
                    m.ZoneId,
                    m.PoolId,
                    m.OwnerId,
                    m.PowerType,
                    m.PowerParametersJson,
                    m.Enlisting,
                },
                tx,
                cancellationToken: ct));
            if (id is null)
            {
                if (m.Hostname is not null && await HostnameTakenAsync(c, tx, m.Hostname, null, ct))
                    throw new ValidationException("hostname", $"Node with hostname \"{m.Hostname}\" already exists.");
                if (attempt > 40)
                    throw new InvalidOperationException("Could not allocate a unique system id.");
                continue;
            }

            for (var i = 0; i < m.MacAddresses.Count; i++)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO interface (node_id, name, type, mac_address) VALUES (@id, @name, 'physical', @mac::macaddr)",
                    new { id, name = $"eth{i}", mac = m.MacAddresses[i] },
                    tx,
                    cancellationToken: ct));
            }

            return systemId;
        }
    }

    public static Task<bool> HostnameTakenAsync(NpgsqlConnection c, NpgsqlTransaction tx, string hostname, long? exceptNodeId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM node WHERE hostname = @hostname AND id IS DISTINCT FROM @exceptNodeId)",
            new { hostname, exceptNodeId },
            tx,
            cancellationToken: ct));

    /// <summary>Applies the given column values (names are trusted constants from the caller) to one node.</summary>
    public static Task UpdateColumnsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, IReadOnlyDictionary<string, object?> columns, CancellationToken ct)
    {
        if (columns.Count == 0)
            return Task.CompletedTask;
        var args = new DynamicParameters();
        args.Add("nodeId", nodeId);
        var sets = new List<string>();
        foreach (var (column, value) in columns)
        {
            if (!column.All(ch => ch is (>= 'a' and <= 'z') or '_'))
                throw new ArgumentException($"Bad column name {column}.", nameof(columns));
            var cast = column is "power_parameters" or "workload_annotations" ? "::jsonb" : "";
            sets.Add($"{column} = @{column}{cast}");
            args.Add(column, value);
        }

        return c.ExecuteAsync(new CommandDefinition(
            $"UPDATE node SET {string.Join(", ", sets)}, updated = now() WHERE id = @nodeId", args, tx, cancellationToken: ct));
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM node WHERE id = @nodeId", new { nodeId }, tx, cancellationToken: ct));

    public static Task<string> PowerParametersAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long nodeId, CancellationToken ct) =>
        c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT power_parameters::text FROM node WHERE id = @nodeId", new { nodeId }, tx, cancellationToken: ct))!;
}
