using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Domain.Network;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>What a subnet create or update writes.</summary>
public sealed record SubnetValues(
    string Name,
    string Description,
    long VlanId,
    IpNetwork Cidr,
    string? GatewayIp,
    string[] DnsServers,
    int RdnsMode,
    bool AllowDns,
    bool AllowProxy,
    bool ActiveDiscovery,
    bool Managed,
    string[] DisabledBootArchitectures);

/// <summary>
/// Subnets. Creates and CIDR changes are serialised by a transaction-scoped advisory lock so the
/// "no overlapping subnets" check is exact; deleting a subnet deletes its addresses, ranges and
/// routes with it (foreign keys cascade).
/// </summary>
public static class SubnetStore
{
    /// <summary>"AnvilSub": held while a subnet's CIDR is checked and written.</summary>
    internal const long CidrLock = 0x416E_7669_6C53_7562;

    private const string Select =
        """
        SELECT s.id, s.name, s.description, s.vlan_id, s.cidr::text AS cidr, host(s.gateway_ip) AS gateway_ip,
               ARRAY(SELECT host(d) FROM unnest(s.dns_servers) AS d) AS dns_servers,
               s.rdns_mode, s.allow_dns, s.allow_proxy, s.active_discovery, s.managed, s.disabled_boot_architectures
        FROM subnet s
        """;

    public static async Task<IReadOnlyList<SubnetRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        [.. (await c.QueryAsync<SubnetRow>(new CommandDefinition($"{Select} ORDER BY s.id", transaction: tx, cancellationToken: ct))).Select(r => r.ToRecord())];

    public static async Task<IReadOnlyList<SubnetRecord>> ListByVlansAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] vlanIds, CancellationToken ct) =>
        [.. (await c.QueryAsync<SubnetRow>(new CommandDefinition(
            $"{Select} WHERE s.vlan_id = ANY(@vlanIds) ORDER BY s.id", new { vlanIds }, tx, cancellationToken: ct))).Select(r => r.ToRecord())];

    public static async Task<SubnetRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<SubnetRow>(new CommandDefinition($"{Select} WHERE s.id = @id", new { id }, tx, cancellationToken: ct)))?.ToRecord();

    /// <summary>Every subnet the specifier selects, by id.</summary>
    public static async Task<IReadOnlyList<SubnetRecord>> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, SubnetSpecifier specifier, CancellationToken ct)
    {
        var where = specifier.Kind switch
        {
            SubnetSpecifierKind.Id => "s.id = @number",
            SubnetSpecifierKind.Cidr => "s.cidr = @network::cidr",
            SubnetSpecifierKind.Name => "s.name = @text",
            SubnetSpecifierKind.Vid => "v.vid = @number",
            SubnetSpecifierKind.VlanName => "v.name = @text",
            SubnetSpecifierKind.FabricId => "v.fabric_id = @number",
            SubnetSpecifierKind.FabricName => "f.name = @text",
            SubnetSpecifierKind.SpaceId => "v.space_id = @number",
            SubnetSpecifierKind.SpaceName => "sp.name = @text",
            SubnetSpecifierKind.UndefinedSpace => "v.space_id IS NULL",
            SubnetSpecifierKind.ContainsIp => "@address::inet << s.cidr",
            _ => throw new ArgumentOutOfRangeException(nameof(specifier)),
        };
        return (await c.QueryAsync<SubnetRow>(new CommandDefinition(
            $"""
            {Select}
            JOIN vlan v ON v.id = s.vlan_id
            JOIN fabric f ON f.id = v.fabric_id
            LEFT JOIN space sp ON sp.id = v.space_id
            WHERE {where}
            ORDER BY s.id
            """,
            new { number = specifier.Number, text = specifier.Text, network = specifier.Network?.ToString(), address = specifier.Address?.ToString() },
            tx,
            cancellationToken: ct))).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Locks the subnet row, so IP range checks and writes on it happen one at a time.</summary>
    public static Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("SELECT 1 FROM subnet WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));

    public static async Task<SubnetRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, SubnetValues values, CancellationToken ct)
    {
        await CheckUniqueAsync(c, tx, values, null, ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO subnet (name, description, vlan_id, cidr, gateway_ip, dns_servers, rdns_mode, allow_dns, allow_proxy,
                                active_discovery, managed, disabled_boot_architectures)
            VALUES (@Name, @Description, @VlanId, @CidrText::cidr, @GatewayIp::inet, @DnsServers::inet[], @RdnsMode, @AllowDns, @AllowProxy,
                    @ActiveDiscovery, @Managed, @DisabledBootArchitectures)
            RETURNING id
            """,
            Parameters(values),
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<SubnetRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, SubnetValues values, CancellationToken ct)
    {
        await CheckUniqueAsync(c, tx, values, id, ct);
        var parameters = Parameters(values);
        parameters.Add("Id", id);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subnet SET name = @Name, description = @Description, vlan_id = @VlanId, cidr = @CidrText::cidr,
                gateway_ip = @GatewayIp::inet, dns_servers = @DnsServers::inet[], rdns_mode = @RdnsMode, allow_dns = @AllowDns,
                allow_proxy = @AllowProxy, active_discovery = @ActiveDiscovery, managed = @Managed,
                disabled_boot_architectures = @DisabledBootArchitectures, updated = now()
            WHERE id = @Id
            """,
            parameters,
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    /// <summary>
    /// Deletes a subnet and, through the foreign keys, its addresses, ranges and routes. Refused
    /// while DHCP serves one of its dynamic ranges, and (unless forced) while nodes hold static
    /// addresses in it.
    /// </summary>
    public static async Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, SubnetRecord subnet, bool force, CancellationToken ct)
    {
        await LockAsync(c, tx, subnet.Id, ct);
        var servingDhcp = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT v.dhcp_on AND EXISTS (SELECT 1 FROM iprange r WHERE r.subnet_id = s.id AND r.type = 'dynamic')
            FROM subnet s JOIN vlan v ON v.id = s.vlan_id WHERE s.id = @id
            """,
            new { id = subnet.Id },
            tx,
            cancellationToken: ct));
        if (servingDhcp)
            throw new BadRequestException("Cannot delete a subnet that is actively servicing a dynamic IP range. (Delete the dynamic range or disable DHCP first.)");
        if (!force)
        {
            var inUse = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                SELECT EXISTS (
                    SELECT 1 FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id
                    WHERE a.subnet_id = @id AND a.ip IS NOT NULL AND a.alloc_type NOT IN (5, 6))
                """,
                new { id = subnet.Id },
                tx,
                cancellationToken: ct));
            if (inUse)
                throw new BadRequestException("Cannot delete a subnet that has IP addresses in use by nodes. (Use the 'force' parameter to override.)");
        }

        await c.ExecuteAsync(new CommandDefinition("DELETE FROM subnet WHERE id = @id", new { id = subnet.Id }, tx, cancellationToken: ct));
    }

    /// <summary>What decides the subnet's used and free addresses.</summary>
    public static async Task<SubnetUsageInput> LoadUsageAsync(NpgsqlConnection c, NpgsqlTransaction? tx, SubnetRecord subnet, CancellationToken ct)
    {
        var ranges = await c.QueryAsync<(long Id, string Type, string Start, string End)>(new CommandDefinition(
            "SELECT id, type, host(start_ip), host(end_ip) FROM iprange WHERE subnet_id = @id ORDER BY start_ip",
            new { id = subnet.Id },
            tx,
            cancellationToken: ct));
        var addresses = await c.QueryAsync<(string Ip, int AllocType)>(new CommandDefinition(
            "SELECT host(ip), alloc_type FROM staticipaddress WHERE subnet_id = @id AND ip IS NOT NULL",
            new { id = subnet.Id },
            tx,
            cancellationToken: ct));
        var routes = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT host(gateway_ip) FROM staticroute WHERE source_id = @id", new { id = subnet.Id }, tx, cancellationToken: ct));
        if (!IpNetwork.TryParse(subnet.Cidr, out var cidr))
            throw new InvalidOperationException($"Subnet {subnet.Id} has an unreadable CIDR '{subnet.Cidr}'.");
        return new SubnetUsageInput(
            cidr,
            subnet.Managed,
            subnet.GatewayIp is null ? null : IpAddress.Parse(subnet.GatewayIp),
            [.. subnet.DnsServers.Select(IpAddress.Parse)],
            [.. ranges.Select(r => new UsageRange(r.Id, r.Type, IpAddress.Parse(r.Start), IpAddress.Parse(r.End)))],
            [.. addresses.Select(a => new UsedAddress(IpAddress.Parse(a.Ip), a.AllocType == 6))],
            [.. routes.Select(IpAddress.Parse)]);
    }

    /// <summary>The subnet's addresses that have an IP, by address, with owner and the node of the first linked interface.</summary>
    public static async Task<IReadOnlyList<SubnetAddressRecord>> ListAddressesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long subnetId, CancellationToken ct) =>
        (await c.QueryAsync<SubnetAddressRecord>(new CommandDefinition(
            """
            SELECT host(a.ip) AS ip, a.alloc_type, a.created, a.updated, u.username,
                   n.system_id, n.node_type, n.hostname, d.name AS domain_name, i.name AS interface_name
            FROM staticipaddress a
            LEFT JOIN users u ON u.id = a.user_id
            LEFT JOIN LATERAL (
                SELECT l.interface_id FROM interface_ip l WHERE l.staticipaddress_id = a.id ORDER BY l.interface_id LIMIT 1
            ) link ON true
            LEFT JOIN interface i ON i.id = link.interface_id
            LEFT JOIN node n ON n.id = i.node_id
            LEFT JOIN domain d ON d.id = n.domain_id
            WHERE a.subnet_id = @subnetId AND a.ip IS NOT NULL
            ORDER BY a.ip
            """,
            new { subnetId },
            tx,
            cancellationToken: ct))).AsList();

    private static async Task CheckUniqueAsync(NpgsqlConnection c, NpgsqlTransaction tx, SubnetValues values, long? id, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = CidrLock }, tx, cancellationToken: ct));
        var overlaps = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM subnet WHERE (cidr >>= @cidr::cidr OR cidr <<= @cidr::cidr) AND id IS DISTINCT FROM @id)",
            new { cidr = values.Cidr.ToString(), id },
            tx,
            cancellationToken: ct));
        if (overlaps)
            throw new ValidationException("__all__", $"Subnet {values.Cidr} would overlap with existing subnets.");
        var nameTaken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM subnet WHERE name = @name AND id IS DISTINCT FROM @id)", new { name = values.Name, id }, tx, cancellationToken: ct));
        if (nameTaken)
            throw new ValidationException("name", "Subnet with this Name already exists.");
    }

    private static DynamicParameters Parameters(SubnetValues v)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Name", v.Name);
        parameters.Add("Description", v.Description);
        parameters.Add("VlanId", v.VlanId);
        parameters.Add("CidrText", v.Cidr.ToString());
        parameters.Add("GatewayIp", v.GatewayIp);
        parameters.Add("DnsServers", v.DnsServers);
        parameters.Add("RdnsMode", v.RdnsMode);
        parameters.Add("AllowDns", v.AllowDns);
        parameters.Add("AllowProxy", v.AllowProxy);
        parameters.Add("ActiveDiscovery", v.ActiveDiscovery);
        parameters.Add("Managed", v.Managed);
        parameters.Add("DisabledBootArchitectures", v.DisabledBootArchitectures);
        return parameters;
    }

    /// <summary>Dapper reads PostgreSQL arrays as <see cref="Array"/>, which no record constructor takes; properties it can set.</summary>
    private sealed class SubnetRow
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Description { get; set; } = "";

        public long VlanId { get; set; }

        public string Cidr { get; set; } = "";

        public string? GatewayIp { get; set; }

        public string[] DnsServers { get; set; } = [];

        public int RdnsMode { get; set; }

        public bool AllowDns { get; set; }

        public bool AllowProxy { get; set; }

        public bool ActiveDiscovery { get; set; }

        public bool Managed { get; set; }

        public string[] DisabledBootArchitectures { get; set; } = [];

        public SubnetRecord ToRecord() => new(
            Id, Name, Description, VlanId, Cidr, GatewayIp, DnsServers, RdnsMode, AllowDns, AllowProxy, ActiveDiscovery, Managed, DisabledBootArchitectures);
    }
}
