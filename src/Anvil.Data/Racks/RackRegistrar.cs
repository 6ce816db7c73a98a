using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Domain.Naming;
using Dapper;
using Npgsql;

namespace Anvil.Data.Racks;

/// <summary>
/// Records a rack that registers over the link: its controller node (found by the system_id it
/// kept, else by hostname among controllers — a region on the same host becomes region+rack —
/// else created), its version and when it was heard from, and its interfaces through
/// <see cref="RackInterfaces"/>. One transaction, so a half-registered rack never exists.
/// </summary>
public static class RackRegistrar
{
    public const int RackController = 2;
    public const int RegionController = 3;
    public const int RegionAndRackController = 4;

    public static async Task<RegisteredRack> RegisterAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, RackRegistration rack, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!Hostnames.IsValid(rack.Hostname))
            throw new ValidationException("hostname", $"'{rack.Hostname}' is not a valid hostname.");
        var existing = await FindAsync(c, tx, rack, ct);
        long nodeId;
        string systemId;
        if (existing is { } found)
        {
            (nodeId, systemId) = (found.Id, found.SystemId);
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE node SET node_type = CASE WHEN node_type = 3 THEN 4 ELSE node_type END,
                       architecture = @Architecture, controller_version = @Version, last_seen = @now, updated = @now
                WHERE id = @nodeId
                """,
                new { rack.Architecture, rack.Version, now, nodeId },
                tx,
                cancellationToken: ct));
        }
        else
        {
            (nodeId, systemId) = await CreateAsync(c, tx, rack, now, ct);
        }

        await RackInterfaces.RegisterAsync(c, tx, nodeId, rack.Interfaces, ct);
        var hostname = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT hostname FROM node WHERE id = @nodeId", new { nodeId }, tx, cancellationToken: ct));
        return new RegisteredRack(nodeId, systemId, hostname!);
    }

    private static async Task<(long Id, string SystemId)?> FindAsync(NpgsqlConnection c, NpgsqlTransaction tx, RackRegistration rack, CancellationToken ct)
    {
        if (rack.SystemId is not null)
        {
            var byId = await c.QuerySingleOrDefaultAsync<(long, string)?>(new CommandDefinition(
                "SELECT id, system_id FROM node WHERE system_id = @SystemId AND node_type IN (2, 3, 4) FOR UPDATE",
                new { rack.SystemId },
                tx,
                cancellationToken: ct));
            if (byId is not null)
                return byId;
        }

        var byName = await c.QuerySingleOrDefaultAsync<(long Id, string SystemId, int Type)?>(new CommandDefinition(
            "SELECT id, system_id, node_type FROM node WHERE hostname = @Hostname FOR UPDATE",
            new { rack.Hostname },
            tx,
            cancellationToken: ct));
        if (byName is { } named && named.Type is not (RackController or RegionController or RegionAndRackController))
            throw new ConflictException($"Hostname \"{rack.Hostname}\" belongs to a node that is not a controller.");
        return byName is { } n ? (n.Id, n.SystemId) : null;
    }

    private static async Task<(long, string)> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, RackRegistration rack, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var systemId = SystemIds.Generate(Random.Shared);
            var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                INSERT INTO node (system_id, hostname, node_type, status, architecture, controller_version, last_seen, domain_id, zone_id, power_type)
                SELECT @systemId, @Hostname, 2, 0, @Architecture, @Version, @now, d.id, 1, ''
                FROM domain d WHERE d.is_default
                ON CONFLICT (system_id) DO NOTHING
                RETURNING id
                """,
                new { systemId, rack.Hostname, rack.Architecture, rack.Version, now },
                tx,
                cancellationToken: ct));
            if (id is { } created)
                return (created, systemId);
        }

        throw new InvalidOperationException("Could not allocate a unique system id.");
    }

    /// <summary>The region URLs heard from recently, for racks to keep links to.</summary>
    public static async Task<IReadOnlyList<string>> RegionUrlsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, DateTimeOffset now, CancellationToken ct) =>
        [.. await c.QueryAsync<string>(new CommandDefinition(
            "SELECT url FROM region_endpoint WHERE last_seen > @since ORDER BY url", new { since = now.AddMinutes(-5) }, tx, cancellationToken: ct))];

    public static Task AnnounceRegionAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string url, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO region_endpoint (url, last_seen) VALUES (@url, @now) ON CONFLICT (url) DO UPDATE SET last_seen = EXCLUDED.last_seen",
            new { url, now },
            tx,
            cancellationToken: ct));

    /// <summary>The node id of a rack controller, or null when no rack has the system_id.</summary>
    public static Task<long?> NodeIdAsync(NpgsqlConnection c, string systemId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM node WHERE system_id = @systemId AND node_type IN (2, 4)", new { systemId }, cancellationToken: ct));
}

/// <summary>What a rack reports when it registers.</summary>
public sealed record RackRegistration(string? SystemId, string Hostname, string Architecture, string Version, IReadOnlyList<ReportedInterface> Interfaces);

public sealed record RegisteredRack(long NodeId, string SystemId, string Hostname);
