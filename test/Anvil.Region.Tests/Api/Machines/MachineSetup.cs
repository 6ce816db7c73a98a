using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// Puts machines where a test needs them. Machines are created through the API; states that
/// need the machine's own cooperation (commissioning finishing, a disk inventory) are written
/// with SQL, because those parts of Anvil do not exist yet.
/// </summary>
internal sealed class MachineSetup(RegionTestHost host)
{
    /// <summary>A locally administered unicast MAC that no other test uses.</summary>
    public static string NewMac() => string.Join(':', new byte[] { 0x02 }.Concat(RandomNumberGenerator.GetBytes(5)).Select(b => b.ToString("x2")));

    /// <summary>
    /// POST machines/ with a valid architecture, a new MAC, the manual power type and no
    /// commissioning, each overridable by <paramref name="fields"/>; returns the response.
    /// </summary>
    public static Task<HttpResponseMessage> PostCreateAsync(ApiClient client, params (string Key, string Value)[] fields)
    {
        var given = fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        (string Key, string Value)[] defaults = [("architecture", "amd64/generic"), ("mac_addresses", NewMac()), ("power_type", "manual"), ("commission", "false")];
        return client.PostAsync("machines/", [.. defaults.Where(d => !given.Contains(d.Key)), .. fields]);
    }

    /// <summary>A machine in New, created by <paramref name="caller"/>; returns its JSON.</summary>
    public static async Task<JsonElement> CreateAsync(TestUser caller, params (string Key, string Value)[] fields) =>
        await (await PostCreateAsync(caller.Client, fields)).ShouldBeJsonAsync();

    public static async Task<string> CreateNewAsync(TestUser admin, params (string Key, string Value)[] fields) =>
        (await CreateAsync(admin, fields)).GetProperty("system_id").GetString()!;

    /// <summary>A Ready, unowned machine, as commissioning would leave it.</summary>
    public async Task<string> CreateReadyAsync(TestUser admin, int cpuCount = 1, int memoryMiB = 1024, string? zone = null, string? pool = null)
    {
        var fields = new List<(string, string)>();
        if (zone is not null)
            fields.Add(("zone", zone));
        if (pool is not null)
            fields.Add(("pool", pool));
        var systemId = await CreateNewAsync(admin, [.. fields]);
        await ExecuteAsync(
            "UPDATE node SET status = @ready, previous_status = @commissioning, cpu_count = @cpuCount, memory = @memoryMiB WHERE system_id = @systemId",
            new { ready = (int)NodeStatus.READY, commissioning = (int)NodeStatus.COMMISSIONING, cpuCount, memoryMiB, systemId });
        return systemId;
    }

    /// <summary>A machine in <paramref name="status"/> owned by <paramref name="owner"/> (Allocated, Deployed, …).</summary>
    public async Task<string> CreateInStateAsync(TestUser admin, NodeStatus status, TestUser? owner, NodeStatus previous = NodeStatus.READY)
    {
        var systemId = await CreateNewAsync(admin);
        await SetStateAsync(systemId, status, owner?.Id, previous);
        return systemId;
    }

    public Task SetStateAsync(string systemId, NodeStatus status, long? ownerId, NodeStatus previous = NodeStatus.READY) =>
        ExecuteAsync(
            "UPDATE node SET status = @status, previous_status = @previous, owner_id = @ownerId WHERE system_id = @systemId",
            new { status = (int)status, previous = (int)previous, ownerId, systemId });

    public async Task<MachineRow> RowAsync(string systemId) =>
        await host.Database.ReadAsync(
            c => c.QuerySingleAsync<MachineRow>(
                """
                SELECT status, owner_id, locked, workload_annotations::text AS workload_annotations, zone_id, pool_id, status_expires
                FROM node WHERE system_id = @systemId
                """,
                new { systemId }),
            CancellationToken.None);

    /// <summary>A resource pool (or zone) with a unique name, so a test's allocations only see its own machines.</summary>
    public async Task<string> NewPoolAsync()
    {
        var name = RegionTestHost.Unique("pool");
        await ExecuteAsync("INSERT INTO resource_pool (name, description) VALUES (@name, '')", new { name });
        return name;
    }

    public async Task<string> NewZoneAsync()
    {
        var name = RegionTestHost.Unique("zone");
        await ExecuteAsync("INSERT INTO zone (name, description) VALUES (@name, '')", new { name });
        return name;
    }

    /// <summary>Tags the machine, creating the (manual) tag when it does not exist.</summary>
    public Task TagAsync(string systemId, string tag) =>
        ExecuteAsync(
            """
            INSERT INTO tag (name) VALUES (@tag) ON CONFLICT (name) DO NOTHING;
            INSERT INTO node_tag (node_id, tag_id) SELECT n.id, t.id FROM node n, tag t WHERE n.system_id = @systemId AND t.name = @tag;
            """,
            new { systemId, tag });

    /// <summary>A physical disk as commissioning would record it; returns its id.</summary>
    public Task<long> AddDiskAsync(string systemId, string name, long sizeBytes, bool bootDisk = false, params string[] tags) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO blockdevice (node_id, name, size, tags, is_boot_disk, model, serial)
                SELECT id, @name, @sizeBytes, @tags, @bootDisk, 'QEMU HARDDISK', @name FROM node WHERE system_id = @systemId
                RETURNING id
                """,
                new { systemId, name, sizeBytes, tags, bootDisk },
                tx)),
            CancellationToken.None);

    /// <summary>The ids of the machine's interfaces, in creation order (eth0 first).</summary>
    public async Task<IReadOnlyList<long>> InterfaceIdsAsync(string systemId) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<long>(
                "SELECT i.id FROM interface i JOIN node n ON n.id = i.node_id WHERE n.system_id = @systemId ORDER BY i.id", new { systemId }),
            CancellationToken.None)).AsList();

    /// <summary>The machine's events at <paramref name="level"/> and above (AUDIT: audit events only), as the events API shows them to <paramref name="viewer"/>.</summary>
    public static async Task<IReadOnlyList<SeenEvent>> EventsAsync(TestUser viewer, string systemId, string level)
    {
        var page = await (await viewer.Client.GetOpAsync("events/", "query", ("id", systemId), ("level", level), ("limit", "1000"))).ShouldBeJsonAsync();
        return page.GetProperty("events").EnumerateArray()
            .Select(e => new SeenEvent(e.GetProperty("type").GetString()!, e.GetProperty("description").GetString()!, e.GetProperty("username").GetString()!, e.GetProperty("level").GetString()!))
            .Reverse()
            .ToList();
    }

    /// <summary>Asserts the user's action on the machine left an AUDIT event the user can see, recorded with the action's name.</summary>
    public async Task ShouldBeAuditedAsync(TestUser actor, string systemId, string action)
    {
        var audit = await EventsAsync(actor, systemId, "AUDIT");
        audit.ShouldContain(e => e.Username == actor.Username && e.Type == "Node" && e.Level == "AUDIT", $"audit events of {systemId}: {string.Join("; ", audit)}");
        var actions = (await host.Database.ReadAsync(
            c => c.QueryAsync<string>(
                "SELECT action FROM event WHERE level = 0 AND node_system_id = @systemId AND username = @username", new { systemId, username = actor.Username }),
            CancellationToken.None)).AsList();
        actions.ShouldContain(action);
    }

    /// <summary>Asserts the machine's DEBUG-level events include the status changes, in this order.</summary>
    public static async Task ShouldHaveStatusChangesAsync(TestUser viewer, string systemId, params string[] changes)
    {
        var seen = (await EventsAsync(viewer, systemId, "DEBUG"))
            .Where(e => e.Type == "Node changed status")
            .Select(e => e.Description)
            .ToList();
        var expected = changes.Select(c => c.Split(" -> ")).Select(p => $"From '{p[0]}' to '{p[1]}'").ToList();
        seen.ShouldBe(expected);
    }

    private Task<int> ExecuteAsync(string sql, object args) =>
        host.Database.InTransactionAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, args, tx)), CancellationToken.None);
}

internal sealed record SeenEvent(string Type, string Description, string Username, string Level);

internal sealed record MachineRow
{
    public int Status { get; init; }

    public long? OwnerId { get; init; }

    public bool Locked { get; init; }

    public string WorkloadAnnotations { get; init; } = "{}";

    public long ZoneId { get; init; }

    public long? PoolId { get; init; }

    public DateTimeOffset? StatusExpires { get; init; }

    public NodeStatus NodeStatus => (NodeStatus)Status;
}
