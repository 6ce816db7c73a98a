using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>
/// Records a rack controller's interfaces as it reports them when it registers, and the network
/// model they imply, as MAAS does: each address's block is found as a subnet or created — on the
/// VLAN of a subnet the interface already sits on, else on a new fabric's untagged VLAN (a VLAN
/// interface gets its tagged VLAN on its parent's fabric) — and each address is kept as a STICKY
/// address of the interface. Registering again with the same report changes nothing; interfaces
/// the rack no longer reports are removed with their addresses.
/// </summary>
public static class RackInterfaces
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "physical", "bond", "bridge", "vlan", "alias" };

    public static async Task<RackRegistrationResult> RegisterAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long rackNodeId, IReadOnlyList<ReportedInterface> interfaces, CancellationToken ct = default)
    {
        Validate(interfaces);
        var locked = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM node WHERE id = @rackNodeId FOR UPDATE", new { rackNodeId }, tx, cancellationToken: ct));
        if (locked is null)
            throw new NotFoundException($"No node with id {rackNodeId}.");

        // The same lock the subnets API holds while it checks for overlaps, so a subnet created
        // here and one created there cannot overlap.
        await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = SubnetStore.CidrLock }, tx, cancellationToken: ct));
        var run = new Registration(c, tx, rackNodeId, ct);
        foreach (var reported in ParentsFirst(interfaces))
            await run.RecordAsync(reported);
        await run.RemoveUnreportedAsync();
        return run.Result();
    }

    private static void Validate(IReadOnlyList<ReportedInterface> interfaces)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in interfaces)
        {
            if (string.IsNullOrWhiteSpace(i.Name) || !names.Add(i.Name))
                throw new ValidationException("interfaces", $"Interface name '{i.Name}' is empty or reported twice.");
            if (!Types.Contains(i.Type))
                throw new ValidationException("interfaces", $"Interface {i.Name} has unknown type '{i.Type}'.");
            if (i.Type == "vlan" && i.Vid is not (>= 0 and <= 4094))
                throw new ValidationException("interfaces", $"VLAN interface {i.Name} needs a vid from 0 to 4094.");
            foreach (var link in i.Links)
            {
                if (!IpNetwork.TryParse(link.Cidr, out _) || (link.Ip is not null && !IpAddress.TryParse(link.Ip, out _)))
                    throw new ValidationException("interfaces", $"Interface {i.Name} has an unreadable address '{link.Cidr}' / '{link.Ip}'.");
            }
        }

        foreach (var i in interfaces)
        {
            if (i.Parents.FirstOrDefault(p => !names.Contains(p)) is { } missing)
                throw new ValidationException("interfaces", $"Interface {i.Name} has unknown parent '{missing}'.");
        }
    }

    /// <summary>Parents before their children (a VLAN interface needs its parent's fabric); cycles keep report order.</summary>
    private static IEnumerable<ReportedInterface> ParentsFirst(IReadOnlyList<ReportedInterface> interfaces)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var pending = interfaces.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(i => i.Parents.All(done.Contains)).ToList();
            if (ready.Count == 0)
                ready = [pending[0]];
            foreach (var i in ready)
            {
                pending.Remove(i);
                done.Add(i.Name);
                yield return i;
            }
        }
    }

    /// <summary>The address a link records: the explicit one, else the host part of its block.</summary>
    private static IpAddress? AddressOf(ReportedLink link, IpNetwork block)
    {
        if (link.Ip is not null)
            return IpAddress.Parse(link.Ip);
        var slash = link.Cidr.IndexOf('/', StringComparison.Ordinal);
        var written = IpAddress.Parse(slash < 0 ? link.Cidr : link.Cidr[..slash]);
        return written == block.Network && block.PrefixLength < written.Bits ? null : written;
    }

    private sealed class Registration(NpgsqlConnection c, NpgsqlTransaction tx, long rackNodeId, CancellationToken ct)
    {
        private readonly Dictionary<string, (long Id, long VlanId)> _recorded = new(StringComparer.Ordinal);
        private readonly List<string> _skipped = [];
        private int _fabrics;
        private int _vlans;
        private int _subnets;

        public RackRegistrationResult Result() => new(_fabrics, _vlans, _subnets, _skipped);

        public async Task RecordAsync(ReportedInterface reported)
        {
            var blocks = reported.Links.Select(l => (Link: l, Block: IpNetwork.Parse(l.Cidr))).ToList();
            var subnets = new List<(long Id, long VlanId)?>();
            foreach (var (_, block) in blocks)
                subnets.Add(await SubnetForAsync(block));
            var vlanId = subnets.FirstOrDefault(s => s is not null)?.VlanId ?? await VlanWithoutSubnetAsync(reported);
            var interfaceId = await UpsertInterfaceAsync(reported, vlanId);
            _recorded[reported.Name] = (interfaceId, vlanId);

            var wanted = new List<(IpAddress Ip, long SubnetId)>();
            for (var i = 0; i < blocks.Count; i++)
            {
                var (link, block) = blocks[i];
                var subnet = subnets[i] ?? await CreateSubnetAsync(block, vlanId);
                var ip = AddressOf(link, block);
                if (subnet is null)
                {
                    _skipped.Add($"{reported.Name}: {block} overlaps an existing subnet; not recorded.");
                    continue;
                }

                if (ip is { } address)
                {
                    if (block.Contains(address))
                        wanted.Add((address, subnet.Value.Id));
                    else
                        _skipped.Add($"{reported.Name}: {address} is not inside {block}; not recorded.");
                }
            }

            await SyncAddressesAsync(reported.Name, interfaceId, wanted);
        }

        public async Task RemoveUnreportedAsync()
        {
            var keep = _recorded.Values.Select(v => v.Id).ToArray();
            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM staticipaddress a USING interface_ip l, interface i
                WHERE l.staticipaddress_id = a.id AND i.id = l.interface_id AND a.alloc_type = 1
                  AND i.node_id = @rackNodeId AND i.id <> ALL(@keep);
                DELETE FROM interface WHERE node_id = @rackNodeId AND id <> ALL(@keep);
                """,
                new { rackNodeId, keep },
                tx,
                cancellationToken: ct));
        }

        private Task<(long Id, long VlanId)?> SubnetForAsync(IpNetwork block) =>
            c.QuerySingleOrDefaultAsync<(long, long)?>(new CommandDefinition(
                "SELECT id, vlan_id FROM subnet WHERE cidr = @cidr::cidr", new { cidr = block.ToString() }, tx, cancellationToken: ct));

        /// <summary>
        /// The VLAN of an interface none of whose blocks is a known subnet: a VLAN interface's tagged
        /// VLAN on its parent's fabric; otherwise the VLAN it was on before, or a new fabric's untagged VLAN.
        /// </summary>
        private async Task<long> VlanWithoutSubnetAsync(ReportedInterface reported)
        {
            if (reported.Type == "vlan" && reported.Parents.Count > 0 && _recorded.TryGetValue(reported.Parents[0], out var parent))
            {
                var fabricId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT fabric_id FROM vlan WHERE id = @id", new { id = parent.VlanId }, tx, cancellationToken: ct));
                return await TaggedVlanAsync(fabricId, reported.Vid!.Value);
            }

            var previous = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT vlan_id FROM interface WHERE node_id = @rackNodeId AND name = @name",
                new { rackNodeId, name = reported.Name },
                tx,
                cancellationToken: ct));
            if (previous is { } vlan)
                return vlan;
            var fabric = await FabricStore.CreateAsync(c, tx, null, "", null, ct);
            _fabrics++;
            return await VlanStore.DefaultVlanIdAsync(c, tx, fabric.Id, ct);
        }

        private async Task<long> TaggedVlanAsync(long fabricId, int vid)
        {
            var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "INSERT INTO vlan (fabric_id, vid) VALUES (@fabricId, @vid) ON CONFLICT (fabric_id, vid) DO NOTHING RETURNING id",
                new { fabricId, vid },
                tx,
                cancellationToken: ct));
            if (id is not null)
            {
                _vlans++;
                return id.Value;
            }

            return await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT id FROM vlan WHERE fabric_id = @fabricId AND vid = @vid", new { fabricId, vid }, tx, cancellationToken: ct));
        }

        /// <summary>A new subnet named after its block; null when the block overlaps another subnet.</summary>
        private async Task<(long Id, long VlanId)?> CreateSubnetAsync(IpNetwork block, long vlanId)
        {
            var cidr = block.ToString();
            var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO subnet (name, vlan_id, cidr)
                SELECT @cidr, @vlanId, @cidr::cidr
                WHERE NOT EXISTS (SELECT 1 FROM subnet WHERE cidr >>= @cidr::cidr OR cidr <<= @cidr::cidr OR name = @cidr)
                RETURNING id
                """,
                new { cidr, vlanId },
                tx,
                cancellationToken: ct));
            if (id is null)
                return null;
            _subnets++;
            return (id.Value, vlanId);
        }

        private async Task<long> UpsertInterfaceAsync(ReportedInterface reported, long vlanId)
        {
            var mac = reported.Mac is { Length: > 0 } m ? m.Trim().ToLowerInvariant() : null;
            if (mac is not null && reported.Type == "physical")
            {
                var holder = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                    """
                    SELECT n.hostname FROM interface i JOIN node n ON n.id = i.node_id
                    WHERE i.mac_address = @mac::macaddr AND i.type = 'physical' AND i.node_id <> @rackNodeId
                    """,
                    new { mac, rackNodeId },
                    tx,
                    cancellationToken: ct));
                if (holder is not null)
                    throw new ConflictException($"MAC address {mac} of {reported.Name} is already in use on {holder}.");
            }

            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO interface (node_id, name, type, mac_address, vlan_id)
                VALUES (@rackNodeId, @name, @type, @mac::macaddr, @vlanId)
                ON CONFLICT (node_id, name) DO UPDATE SET type = EXCLUDED.type, mac_address = EXCLUDED.mac_address, vlan_id = EXCLUDED.vlan_id,
                    updated = CASE WHEN (interface.type, interface.mac_address, interface.vlan_id) IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.mac_address, EXCLUDED.vlan_id)
                                   THEN now() ELSE interface.updated END
                RETURNING id
                """,
                new { rackNodeId, name = reported.Name, type = reported.Type, mac, vlanId },
                tx,
                cancellationToken: ct));
            if (mac is not null)
            {
                // A MAC seen in DHCP leases before the rack registered was an unknown interface;
                // its observed addresses now belong to the rack's interface.
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO interface_ip (interface_id, staticipaddress_id)
                    SELECT @id, l.staticipaddress_id FROM interface_ip l JOIN interface u ON u.id = l.interface_id
                    WHERE u.node_id IS NULL AND u.type = 'unknown' AND u.mac_address = @mac::macaddr
                    ON CONFLICT DO NOTHING;
                    DELETE FROM interface WHERE node_id IS NULL AND type = 'unknown' AND mac_address = @mac::macaddr;
                    """,
                    new { id, mac },
                    tx,
                    cancellationToken: ct));
            }

            var parentIds = reported.Parents.Where(_recorded.ContainsKey).Select(p => _recorded[p].Id).ToArray();
            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM interface_relationship WHERE child_id = @id AND parent_id <> ALL(@parentIds);
                INSERT INTO interface_relationship (parent_id, child_id) SELECT p, @id FROM unnest(@parentIds) AS p ON CONFLICT DO NOTHING;
                """,
                new { id, parentIds },
                tx,
                cancellationToken: ct));
            return id;
        }

        /// <summary>The interface's STICKY addresses become exactly <paramref name="wanted"/>.</summary>
        private async Task SyncAddressesAsync(string name, long interfaceId, List<(IpAddress Ip, long SubnetId)> wanted)
        {
            var ips = wanted.Select(w => w.Ip.ToString()).ToArray();
            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM staticipaddress a USING interface_ip l
                WHERE l.staticipaddress_id = a.id AND l.interface_id = @interfaceId AND a.alloc_type = 1
                  AND (a.ip IS NULL OR host(a.ip) <> ALL(@ips))
                """,
                new { interfaceId, ips },
                tx,
                cancellationToken: ct));
            foreach (var (ip, subnetId) in wanted)
            {
                var holder = await c.QuerySingleOrDefaultAsync<(long Id, int AllocType, long? LinkedTo)?>(new CommandDefinition(
                    """
                    SELECT a.id, a.alloc_type, (SELECT min(l.interface_id) FROM interface_ip l WHERE l.staticipaddress_id = a.id)
                    FROM staticipaddress a WHERE a.ip = @ip::inet AND a.alloc_type <> 6
                    """,
                    new { ip = ip.ToString() },
                    tx,
                    cancellationToken: ct));
                long addressId;
                if (holder is { } held)
                {
                    if (held.LinkedTo is { } other && other != interfaceId)
                    {
                        _skipped.Add($"{name}: {ip} is already in use by another interface; not recorded.");
                        continue;
                    }

                    addressId = held.Id;
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE staticipaddress SET alloc_type = 1, subnet_id = @subnetId, updated = now() WHERE id = @addressId AND (alloc_type, subnet_id) IS DISTINCT FROM (1, @subnetId)",
                        new { addressId, subnetId },
                        tx,
                        cancellationToken: ct));
                }
                else
                {
                    addressId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (@ip::inet, 1, @subnetId) RETURNING id",
                        new { ip = ip.ToString(), subnetId },
                        tx,
                        cancellationToken: ct));
                }

                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO interface_ip (interface_id, staticipaddress_id) VALUES (@interfaceId, @addressId) ON CONFLICT DO NOTHING",
                    new { interfaceId, addressId },
                    tx,
                    cancellationToken: ct));
            }
        }
    }
}
