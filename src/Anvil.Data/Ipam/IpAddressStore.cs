using System.Text;
using Anvil.Data.Users;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Dapper;
using Npgsql;

namespace Anvil.Data.Ipam;

/// <summary>Reads and links of static addresses for the <c>ipaddresses/</c> resource.</summary>
public static class IpAddressStore
{
    private const string AddressSelect =
        """
        SELECT s.id, host(s.ip) AS ip, s.alloc_type, s.created, s.updated,
               u.id AS user_id, u.username, u.email, u.is_superuser, u.is_active, u.is_local,
               n.id AS subnet_id, n.name AS subnet_name, n.description AS subnet_description, n.cidr::text AS cidr,
               host(n.gateway_ip) AS gateway_ip, ARRAY(SELECT host(d) FROM unnest(n.dns_servers) d) AS dns_servers,
               n.rdns_mode, n.allow_dns, n.allow_proxy, n.active_discovery, n.managed, n.disabled_boot_architectures,
               v.id AS vlan_id, v.name AS vlan_name, v.vid, v.fabric_id, f.name AS fabric_name, v.mtu, v.dhcp_on,
               host(v.external_dhcp) AS external_dhcp, pr.system_id AS primary_rack, sr.system_id AS secondary_rack,
               v.relay_vlan_id, vs.name AS vlan_space
        FROM staticipaddress s
        LEFT JOIN users u ON u.id = s.user_id
        LEFT JOIN subnet n ON n.id = s.subnet_id
        LEFT JOIN vlan v ON v.id = n.vlan_id
        LEFT JOIN fabric f ON f.id = v.fabric_id
        LEFT JOIN space vs ON vs.id = v.space_id
        LEFT JOIN node pr ON pr.id = v.primary_rack_id
        LEFT JOIN node sr ON sr.id = v.secondary_rack_id
        """;

    private const string InterfaceSelect =
        """
        SELECT l.staticipaddress_id AS address_id, i.id, i.name, i.type, i.mac_address::text AS mac_address, i.enabled, i.vlan_id, nd.system_id
        FROM interface_ip l
        JOIN interface i ON i.id = l.interface_id
        LEFT JOIN node nd ON nd.id = i.node_id
        JOIN staticipaddress s ON s.id = l.staticipaddress_id
        """;

    public static async Task<IReadOnlyList<IpAddressRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IpAddressQuery query, CancellationToken ct)
    {
        var where = new StringBuilder(" WHERE s.ip IS NOT NULL");
        if (query.Ip is not null)
            where.Append(" AND s.ip = @Ip::inet");
        if (query.OwnerId is not null)
            where.Append(" AND s.user_id = @OwnerId");
        if (query.OwnerUsername is not null)
            where.Append(" AND u.username = @OwnerUsername");
        if (query.UserReservedOnly)
            where.Append(" AND s.alloc_type = 4");
        if (query.Ids is not null)
            where.Append(" AND s.id = ANY(@Ids)");
        var parameters = new { query.Ip, query.OwnerId, query.OwnerUsername, Ids = query.Ids?.ToArray() };

        // The interfaces statement repeats the filter (with the owner join) so both come in one round trip.
        var interfaceFilter = where.ToString().Replace("u.username", "(SELECT username FROM users WHERE id = s.user_id)", StringComparison.Ordinal);
        using var results = await c.QueryMultipleAsync(new CommandDefinition(
            $"{AddressSelect}{where} ORDER BY s.id;\n{InterfaceSelect}{interfaceFilter} ORDER BY l.staticipaddress_id, i.id",
            parameters,
            tx,
            cancellationToken: ct));
        var rows = (await results.ReadAsync<AddressRow>()).ToList();
        var interfaces = (await results.ReadAsync<InterfaceRow>()).ToLookup(r => r.AddressId);
        return rows.Select(r => r.ToRecord(interfaces[r.Id].Select(i => i.ToRecord()).ToList())).ToList();
    }

    /// <summary>A subnet by id, CIDR or name (the forms MAAS's <c>subnet</c> parameters accept), or null.</summary>
    public static async Task<long?> ResolveSubnetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string specifier, CancellationToken ct)
    {
        specifier = specifier.Trim();
        if (specifier.StartsWith("id:", StringComparison.Ordinal))
            specifier = specifier[3..];
        if (long.TryParse(specifier, out var id))
            return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM subnet WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (specifier.StartsWith("cidr:", StringComparison.Ordinal))
            specifier = specifier[5..];
        if (IpNetwork.TryParse(specifier, out var cidr) && specifier.Contains('/', StringComparison.Ordinal))
        {
            return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM subnet WHERE cidr = @cidr::cidr", new { cidr = cidr.ToString() }, tx, cancellationToken: ct));
        }

        if (specifier.StartsWith("name:", StringComparison.Ordinal))
            specifier = specifier[5..];
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM subnet WHERE name = @specifier", new { specifier }, tx, cancellationToken: ct));
    }

    /// <summary>The most specific subnet holding <paramref name="ip"/>, or null.</summary>
    public static Task<long?> FindSubnetContainingAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IpAddress ip, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM subnet WHERE @ip::inet <<= cidr ORDER BY masklen(cidr) DESC LIMIT 1", new { ip = ip.ToString() }, tx, cancellationToken: ct));

    /// <summary>
    /// Links addresses to the interface with MAC <paramref name="mac"/> (lower-case, colon form),
    /// creating a node-less <c>unknown</c> interface on the subnet's VLAN when no interface has it.
    /// </summary>
    public static async Task LinkToMacAsync(NpgsqlConnection c, NpgsqlTransaction tx, long subnetId, string mac, IReadOnlyList<long> addressIds, CancellationToken ct)
    {
        var interfaceId = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM interface WHERE mac_address = @mac::macaddr ORDER BY id LIMIT 1", new { mac }, tx, cancellationToken: ct))
            ?? await c.QuerySingleAsync<long>(new CommandDefinition(
                """
                INSERT INTO interface (node_id, name, type, mac_address, vlan_id)
                VALUES (NULL, 'eth0', 'unknown', @mac::macaddr, (SELECT vlan_id FROM subnet WHERE id = @subnetId))
                RETURNING id
                """,
                new { mac, subnetId },
                tx,
                cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO interface_ip (interface_id, staticipaddress_id) SELECT @interfaceId, unnest(@ids) ON CONFLICT DO NOTHING",
            new { interfaceId, ids = addressIds.ToArray() },
            tx,
            cancellationToken: ct));
    }

    /// <summary>
    /// Adds addresses to the DNS resource <paramref name="name"/> in <paramref name="domain"/> (the
    /// default domain when null), creating the resource when needed.
    /// </summary>
    public static async Task AddToDnsResourceAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, string? domain, IReadOnlyList<long> addressIds, CancellationToken ct)
    {
        var domainId = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            domain is null ? "SELECT id FROM domain WHERE is_default" : "SELECT id FROM domain WHERE name = @domain",
            new { domain },
            tx,
            cancellationToken: ct)) ?? throw new ValidationException("hostname", $"Domain '{domain}' does not exist.");
        var resourceId = await c.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO dnsresource (name, domain_id) VALUES (@name, @domainId)
            ON CONFLICT (name, domain_id) DO UPDATE SET updated = now()
            RETURNING id
            """,
            new { name, domainId },
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id) SELECT @resourceId, unnest(@ids) ON CONFLICT DO NOTHING",
            new { resourceId, ids = addressIds.ToArray() },
            tx,
            cancellationToken: ct));
    }

    /// <summary>The row holding <paramref name="ip"/> (the DISCOVERED one, or the one that is not), locked, or null.</summary>
    public static async Task<HeldAddress?> FindAsync(NpgsqlConnection c, NpgsqlTransaction tx, IpAddress ip, bool discovered, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<HeldAddressRow>(new CommandDefinition(
            $"SELECT id, alloc_type, user_id FROM staticipaddress WHERE ip = @ip::inet AND alloc_type {(discovered ? "=" : "<>")} 6 ORDER BY id LIMIT 1 FOR UPDATE",
            new { ip = ip.ToString() },
            tx,
            cancellationToken: ct));
        return row is null ? null : new HeldAddress(row.Id, (IpAddressType)row.AllocType, row.UserId);
    }

    private sealed record HeldAddressRow
    {
        public long Id { get; init; }
        public int AllocType { get; init; }
        public long? UserId { get; init; }
    }

    private sealed record AddressRow
    {
        public long Id { get; init; }
        public string Ip { get; init; } = "";
        public int AllocType { get; init; }
        public DateTimeOffset Created { get; init; }
        public DateTimeOffset Updated { get; init; }
        public long? UserId { get; init; }
        public string? Username { get; init; }
        public string? Email { get; init; }
        public bool IsSuperuser { get; init; }
        public bool IsActive { get; init; }
        public bool IsLocal { get; init; }
        public long? SubnetId { get; init; }
        public string SubnetName { get; init; } = "";
        public string SubnetDescription { get; init; } = "";
        public string Cidr { get; init; } = "";
        public string? GatewayIp { get; init; }
        public string[] DnsServers { get; init; } = [];
        public int RdnsMode { get; init; }
        public bool AllowDns { get; init; }
        public bool AllowProxy { get; init; }
        public bool ActiveDiscovery { get; init; }
        public bool Managed { get; init; }
        public string[] DisabledBootArchitectures { get; init; } = [];
        public long VlanId { get; init; }
        public string? VlanName { get; init; }
        public int Vid { get; init; }
        public long FabricId { get; init; }
        public string FabricName { get; init; } = "";
        public int Mtu { get; init; }
        public bool DhcpOn { get; init; }
        public string? ExternalDhcp { get; init; }
        public string? PrimaryRack { get; init; }
        public string? SecondaryRack { get; init; }
        public long? RelayVlanId { get; init; }
        public string? VlanSpace { get; init; }

        public IpAddressRecord ToRecord(IReadOnlyList<IpInterfaceRecord> interfaces) => new(
            Id,
            Ip,
            (IpAddressType)AllocType,
            Created,
            Updated,
            UserId is { } userId ? new UserRecord(userId, Username ?? "", Email ?? "", IsSuperuser, IsActive, IsLocal) : null,
            SubnetId is { } subnetId
                ? new IpSubnetRecord(
                    subnetId, SubnetName, SubnetDescription, Cidr, GatewayIp, DnsServers, RdnsMode, AllowDns, AllowProxy, ActiveDiscovery, Managed,
                    DisabledBootArchitectures, VlanSpace,
                    new IpVlanRecord(VlanId, VlanName, Vid, FabricId, FabricName, Mtu, DhcpOn, ExternalDhcp, PrimaryRack, SecondaryRack, RelayVlanId, VlanSpace))
                : null,
            interfaces);
    }

    private sealed record InterfaceRow
    {
        public long AddressId { get; init; }
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Type { get; init; } = "";
        public string? MacAddress { get; init; }
        public bool Enabled { get; init; }
        public long? VlanId { get; init; }
        public string? SystemId { get; init; }

        public IpInterfaceRecord ToRecord() => new(Id, Name, Type, MacAddress, Enabled, VlanId, SystemId);
    }
}
