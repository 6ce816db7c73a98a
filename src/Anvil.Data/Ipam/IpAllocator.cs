using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Dapper;
using Npgsql;

namespace Anvil.Data.Ipam;

/// <summary>
/// Hands out static addresses inside the caller's transaction. The unique index on
/// <c>staticipaddress.ip</c> is what guarantees that no address goes out twice: candidates are
/// inserted with <c>ON CONFLICT DO NOTHING</c>, so a candidate another transaction took is simply
/// not returned (no error, no savepoint), and the allocator reads the subnet again and tries the
/// next ones. There is no process-wide lock; regions allocate concurrently.
/// </summary>
public sealed class IpAllocator(Random random)
{
    /// <summary>Fresh reads of the subnet before a contended allocation gives up with 503.</summary>
    public const int MaxRounds = 32;

    /// <summary>The most addresses one call hands out.</summary>
    public const int MaxCount = 65536;

    private const string InsertCandidates =
        """
        INSERT INTO staticipaddress (ip, alloc_type, subnet_id, user_id)
        SELECT c.ip, @allocType, @subnetId, @userId
        FROM (SELECT c.ip::inet AS ip
              FROM unnest(@candidates::text[]) WITH ORDINALITY AS c(ip, ord)
              WHERE NOT EXISTS (SELECT 1 FROM staticipaddress s WHERE s.ip = c.ip::inet AND s.alloc_type <> 6)
              ORDER BY c.ord
              LIMIT @needed) c
        ORDER BY c.ip
        ON CONFLICT (ip) WHERE ip IS NOT NULL AND alloc_type <> 6 DO NOTHING
        RETURNING id, host(ip)
        """;

    /// <summary>Thread-safe; for code that does not need to control randomness.</summary>
    public static IpAllocator Shared { get; } = new(Random.Shared);

    /// <summary>
    /// Allocates <paramref name="count"/> addresses of <paramref name="subnetId"/> (all or none:
    /// a refusal throws, and the caller's transaction rolls back), or exactly
    /// <paramref name="requestedIp"/>.
    /// <para>
    /// Chosen addresses come from the subnet's free space — never the gateway, a DNS server, an
    /// address in use or one inside a dynamic or reserved range — the smallest free range first.
    /// When concurrent transactions took the candidates, the next round starts a random distance
    /// into that order so that they stop colliding.
    /// </para>
    /// </summary>
    /// <exception cref="NotFoundException">No such subnet, or the requested address is in use.</exception>
    /// <exception cref="ForbiddenException">The requested address is outside the subnet's hosts, or in a dynamic range and <paramref name="allowDynamicRange"/> is false.</exception>
    /// <exception cref="UnavailableException">The subnet has fewer free addresses than asked for (MAAS's 503).</exception>
    public async Task<IReadOnlyList<AllocatedAddress>> AllocateAsync(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        long subnetId,
        IpAddressType allocType,
        int count,
        long? userId,
        IpAddress? requestedIp,
        CancellationToken ct,
        bool allowDynamicRange = false)
    {
        if (allocType is not (IpAddressType.AUTO or IpAddressType.STICKY or IpAddressType.USER_RESERVED))
            throw new ArgumentOutOfRangeException(nameof(allocType), allocType, "Only AUTO, STICKY and USER_RESERVED addresses are allocated.");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        if (requestedIp is not null && count != 1)
            throw new ArgumentException("A requested address is allocated alone.", nameof(count));

        var space = await SubnetSpace.LoadAsync(c, tx, subnetId, ct) ?? throw new NotFoundException("No Subnet matches the given query.");
        if (requestedIp is { } ip)
            return [await AllocateRequestedAsync(c, tx, space, allocType, userId, ip, allowDynamicRange, ct)];

        var allocated = new List<AllocatedAddress>(count);
        for (var round = 0; round < MaxRounds; round++)
        {
            if (round > 0)
                space = await SubnetSpace.LoadAsync(c, tx, subnetId, ct) ?? throw new NotFoundException("No Subnet matches the given query.");
            var needed = count - allocated.Count;
            var free = space.Free;
            if (free.Count < (UInt128)needed)
                throw Exhausted(space.Cidr);

            // A window larger than needed: candidates committed elsewhere since the read are
            // skipped by the insert itself, so such a loss costs no extra round.
            var window = needed + 8 + (needed / 4);
            var skip = round == 0 ? UInt128.Zero : RandomSkip(free, round);
            var candidates = AddressChooser.Pick(free, window, skip).Select(a => a.ToString()).ToArray();
            var won = await c.QueryAsync<(long Id, string Ip)>(new CommandDefinition(
                InsertCandidates,
                new { allocType = (int)allocType, subnetId, userId, candidates, needed },
                tx,
                cancellationToken: ct));
            allocated.AddRange(won.Select(w => new AllocatedAddress(w.Id, IpAddress.Parse(w.Ip))));
            if (allocated.Count == count)
                return allocated;
        }

        throw new UnavailableException($"Too many concurrent allocations in subnet: {space.Cidr}; try again.");
    }

    /// <summary>
    /// Deployment start: gives every AUTO link of the node's interfaces that has no address yet
    /// (a row with <c>ip</c> NULL) an address of its subnet, one bulk allocation per subnet. The
    /// addresses are allocated as new rows (so the unique index arbitrates, as for any allocation)
    /// and then moved onto the link rows, which keep their ids and interface links.
    /// </summary>
    /// <returns>The link rows that got an address, with the address.</returns>
    public async Task<IReadOnlyList<AllocatedAddress>> AssignAutoAddressesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct)
    {
        var links = (await c.QueryAsync<(long Id, long SubnetId)>(new CommandDefinition(
            """
            SELECT s.id, s.subnet_id FROM staticipaddress s
            WHERE s.alloc_type = 0 AND s.ip IS NULL AND s.subnet_id IS NOT NULL
              AND s.id IN (SELECT l.staticipaddress_id FROM interface_ip l JOIN interface i ON i.id = l.interface_id WHERE i.node_id = @nodeId)
            ORDER BY s.id
            FOR UPDATE OF s
            """,
            new { nodeId },
            tx,
            cancellationToken: ct))).ToList();
        var assigned = new List<AllocatedAddress>(links.Count);
        foreach (var group in links.GroupBy(l => l.SubnetId))
        {
            var rows = group.ToList();
            var fresh = await AllocateAsync(c, tx, group.Key, IpAddressType.AUTO, rows.Count, null, null, ct);
            // Two statements: the new rows are gone (for this transaction's unique checks) before the links take their addresses.
            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM staticipaddress WHERE id = ANY(@freshIds);
                UPDATE staticipaddress t SET ip = p.ip::inet, updated = now()
                FROM unnest(@linkIds, @ips) AS p(id, ip) WHERE t.id = p.id;
                """,
                new { freshIds = fresh.Select(f => f.Id).ToArray(), linkIds = rows.Select(r => r.Id).ToArray(), ips = fresh.Select(f => f.Ip.ToString()).ToArray() },
                tx,
                cancellationToken: ct));
            assigned.AddRange(rows.Zip(fresh, (row, address) => new AllocatedAddress(row.Id, address.Ip)));
        }

        return assigned;
    }

    /// <summary>
    /// Releases addresses: AUTO ones keep their row with no IP (the interface's AUTO link stays, as
    /// MAAS keeps it when a machine is released); others are deleted. Unknown interfaces and DNS
    /// resources that are left without any address go with them.
    /// </summary>
    public static async Task ReleaseAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyCollection<long> addressIds, CancellationToken ct)
    {
        var ids = addressIds.ToArray();
        var parameters = new { ids };
        var interfaces = (await c.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT l.interface_id FROM interface_ip l JOIN interface i ON i.id = l.interface_id
            WHERE l.staticipaddress_id = ANY(@ids) AND i.type = 'unknown' AND i.node_id IS NULL
            """,
            parameters,
            tx,
            cancellationToken: ct))).ToArray();
        var dnsResources = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT dnsresource_id FROM dnsresource_ip WHERE staticipaddress_id = ANY(@ids)", parameters, tx, cancellationToken: ct))).ToArray();
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM staticipaddress WHERE id = ANY(@ids) AND alloc_type <> 0;
            UPDATE staticipaddress SET ip = NULL, temp_expires_on = NULL, updated = now() WHERE id = ANY(@ids) AND alloc_type = 0;
            """,
            parameters,
            tx,
            cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM interface i WHERE i.id = ANY(@interfaces)
                AND NOT EXISTS (SELECT 1 FROM interface_ip l WHERE l.interface_id = i.id);
            DELETE FROM dnsresource r WHERE r.id = ANY(@dnsResources)
                AND NOT EXISTS (SELECT 1 FROM dnsresource_ip l WHERE l.dnsresource_id = r.id)
                AND NOT EXISTS (SELECT 1 FROM dnsdata d WHERE d.dnsresource_id = r.id);
            """,
            new { interfaces, dnsResources },
            tx,
            cancellationToken: ct));
    }

    private static async Task<AllocatedAddress> AllocateRequestedAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, SubnetSpace space, IpAddressType allocType, long? userId, IpAddress ip, bool allowDynamicRange, CancellationToken ct)
    {
        if (!space.Cidr.HostRange.Contains(ip))
            throw new ForbiddenException($"IP address {ip} is outside the subnet {space.Cidr}.");
        if (!allowDynamicRange && space.DynamicRanges.Where(r => r.Contains(ip)).Select(r => (IpRange?)r).FirstOrDefault() is { } dynamic)
            throw new ForbiddenException($"IP address {ip} is inside the dynamic range {dynamic.First}-{dynamic.Last} of subnet {space.Cidr}.");

        // A DISCOVERED row (an observed lease) does not hold the address: the unique index ignores it.
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            INSERT INTO staticipaddress (ip, alloc_type, subnet_id, user_id) VALUES (@ip::inet, @allocType, @subnetId, @userId)
            ON CONFLICT (ip) WHERE ip IS NOT NULL AND alloc_type <> 6 DO NOTHING
            RETURNING id
            """,
            new { ip = ip.ToString(), allocType = (int)allocType, subnetId = space.Id, userId },
            tx,
            cancellationToken: ct));
        return id is { } newId
            ? new AllocatedAddress(newId, ip)
            : throw new NotFoundException($"The IP address {ip} is already in use.");
    }

    /// <summary>
    /// A random start among the first 16·2^round addresses of the smallest-first order: losers of
    /// a race spread out (the more rounds they lose, the wider), yet stay near the smallest ranges.
    /// Spreading within the smallest range alone would not do: once a range is fragmented, the
    /// smallest one is a single address every allocator would aim at.
    /// </summary>
    private UInt128 RandomSkip(IpRangeSet free, int round)
    {
        var spread = UInt128.Min(free.Count, (UInt128)16 << Math.Min(round, 100));
        return (UInt128)(ulong)random.NextInt64(long.MaxValue) % spread;
    }

    private static UnavailableException Exhausted(IpNetwork cidr) => new($"No more IPs available in subnet: {cidr}.");
}
