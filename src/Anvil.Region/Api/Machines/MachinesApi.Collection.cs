using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Data.Zones;
using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Anvil.Region.Api.Framework;
using Anvil.Region.Power;
using Dapper;
using Npgsql;

namespace Anvil.Region.Api.Machines;

/// <summary>The collection actions of <c>machines/</c> and its anonymous enlistment variant.</summary>
internal static partial class MachinesApi
{
    private static async Task<ApiResult> ListAsync(ApiRequest r)
    {
        var constraints = await ParseConstraintsAsync(r, ConstraintFormKind.Read);
        var views = await r.Service<MachineStore>().ListAsync(MachineQuery.AllMachines, r.Aborted);
        return new MachineListResult(Filter(views, constraints));
    }

    private static async Task<ApiResult> ListNodesAsync(ApiRequest r)
    {
        var constraints = await ParseConstraintsAsync(r, ConstraintFormKind.Read);
        var views = await r.Service<MachineStore>().ListAsync(new MachineQuery { NodeType = null }, r.Aborted);

        // MAAS lists devices, then machines, then rack and region controllers, each by id.
        List<MachineView> ordered = [.. views.OrderBy(v => v.NodeType switch { 1 => 0, 0 => 1, _ => 2 }).ThenBy(v => v.NodeType).ThenBy(v => v.Id)];
        return new MachineListResult(Filter(ordered, constraints));
    }

    // Matched before the response starts, so a failure can still be answered with an error status.
    private static IReadOnlyList<MachineView> Filter(IReadOnlyList<MachineView> views, MachineConstraints constraints) =>
        constraints.IsEmpty ? views : [.. views.Where(v => ConstraintMatcher.Matches(constraints, MachineCandidates.From(v)))];

    internal static async Task<MachineConstraints> ParseConstraintsAsync(ApiRequest r, ConstraintFormKind kind)
    {
        var db = r.Service<Database>();
        var known = await db.ReadAsync(
            async c =>
            {
                var zones = (await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM zone", cancellationToken: r.Aborted))).ToHashSet(StringComparer.Ordinal);
                var pools = (await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM resource_pool", cancellationToken: r.Aborted))).ToHashSet(StringComparer.Ordinal);
                var tags = (await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM tag", cancellationToken: r.Aborted))).ToHashSet(StringComparer.Ordinal);
                var (subnets, vlans) = await MachineCandidates.KnownNetworkAsync(c, r.Aborted);
                return new KnownNames
                {
                    Zones = zones,
                    Pools = pools,
                    Tags = tags,
                    Architectures = MachineFields.Architectures.ToHashSet(StringComparer.Ordinal),
                    Subnets = subnets,
                    Vlans = vlans,
                };
            },
            r.Aborted);
        var form = r.Form.All.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
        return ConstraintForm.Parse(form, known, kind);
    }

    private static async Task<ApiResult> AllocateAsync(ApiRequest r)
    {
        var constraints = await ParseConstraintsAsync(r, ConstraintFormKind.Allocate);
        var actor = r.Caller.ToActor();
        // A system_id constraint narrows the read in SQL too: otherwise each allocation of a named
        // machine reads every Ready machine with all its details.
        var ready = await r.Service<MachineStore>().ListAsync(
            new MachineQuery { Statuses = [(int)NodeStatus.READY], UnownedOnly = true, SystemIds = constraints.SystemIds is { } ids ? [.. ids] : null }, r.Aborted);
        var matches = new List<(MachineView View, ConstraintMatch Match)>();
        var byId = ready.ToDictionary(v => v.Id);
        foreach (var candidate in ConstraintMatcher.OrderByCost(ready.Select(MachineCandidates.From)))
        {
            if (ConstraintMatcher.Match(constraints, candidate) is { } match)
                matches.Add((byId[candidate.Id], match));
        }

        var verbose = r.Bool("verbose", false);
        if (r.Bool("dry_run", false))
        {
            return matches.Count == 0
                ? throw new ConflictException(constraints.NoMatchMessage())
                : ApiResult.JsonUtf8(MachineJson.One(matches[0].View, ConstraintsWriter(matches[0].Match, verbose)));
        }

        var claimed = await ClaimFirstAsync(r, actor, matches.Select(m => m.View.Id).ToArray());
        if (claimed is null)
            throw new ConflictException(constraints.NoMatchMessage());
        var chosen = matches.First(m => m.View.Id == claimed);
        var view = await r.Service<MachineStore>().GetAsync(chosen.View.SystemId, r.Aborted) ?? throw MachineOperations.NotFound(chosen.View.SystemId);
        return ApiResult.JsonUtf8(MachineJson.One(view, ConstraintsWriter(chosen.Match, verbose)));
    }

    /// <summary>
    /// Acquires the first candidate (in cost order) that is still Ready, in one transaction. Rows
    /// locked by a concurrent allocation are skipped rather than waited for; only when every
    /// remaining candidate is locked do we wait, so a rolled-back competitor never causes a false 409.
    /// </summary>
    private static async Task<long?> ClaimFirstAsync(ApiRequest r, Actor actor, long[] orderedIds)
    {
        if (orderedIds.Length == 0)
            return null;
        var agentName = r.String("agent_name");
        var comment = r.String("comment");
        return await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var systemId = await PickAsync(c, tx, orderedIds, "SKIP LOCKED", r.Aborted) ?? await PickAsync(c, tx, orderedIds, "", r.Aborted);
                if (systemId is null)
                    return (long?)null;
                var machine = (await MachineStore.LockAsync(c, tx, systemId, r.Aborted))!;
                var before = machine.Status;
                var outcome = MachineLifecycle.Acquire(machine, actor, agentName, comment);
                await MachineOperations.SaveAsync(c, tx, machine, before, outcome, actor, r.Aborted);
                return machine.Id;
            },
            r.Aborted);
    }

    private static Task<string?> PickAsync(NpgsqlConnection c, NpgsqlTransaction tx, long[] ids, string lockMode, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"""
            SELECT system_id FROM node WHERE id = ANY(@ids) AND status = {(int)NodeStatus.READY} AND owner_id IS NULL AND NOT locked
            ORDER BY array_position(@ids, id) LIMIT 1 FOR UPDATE {lockMode}
            """,
            new { ids },
            tx,
            cancellationToken: ct));

    private static ConstraintsByTypeWriter ConstraintsWriter(ConstraintMatch match, bool verbose) =>
        new(w => JsonSerializer.Serialize(w, match.ToConstraintsByType(verbose)));

    private static async Task<ApiResult> ReleaseManyAsync(ApiRequest r)
    {
        var systemIds = r.Strings("machines");
        var actor = r.Caller.ToActor();
        var power = r.Service<IPowerService>();
        var ops = r.Service<MachineOperations>();
        var timeout = await NodeTimeoutAsync(r);
        var options = new ReleaseOptions { Comment = r.String("comment") };
        var released = new List<string>();
        var pending = new List<(Machine Machine, PowerRequest Power)>();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                released.Clear();
                pending.Clear();
                var machines = new List<Machine>();
                var missing = new List<string>();
                foreach (var systemId in systemIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    if (await MachineOperations.LockMachineAsync(c, tx, systemId, r.Aborted) is { } m)
                        machines.Add(m);
                    else
                        missing.Add(systemId);
                }

                if (missing.Count > 0)
                    throw new ValidationException("machines", $"Unknown machine(s): {string.Join(", ", missing)}.");
                foreach (var m in machines)
                    NodePermissions.Require(actor, m, NodePermission.Edit);
                var refused = machines
                    .Where(m => m.Status is not (NodeStatus.READY or NodeStatus.RELEASING) && !MachineLifecycle.CanRelease(m.Status))
                    .Select(m => $"{m.SystemId} ('{NodeStatusInfo.Label(m.Status)}')")
                    .ToList();
                if (refused.Count > 0)
                    throw new ConflictException($"Machine(s) cannot be released in their current state: {string.Join(", ", refused)}.");
                foreach (var m in machines.Where(m => m.Status != NodeStatus.READY))
                {
                    var before = m.Status;
                    var outcome = MachineLifecycle.Release(m, actor, options with { PowerQueryable = power.CanQuery(m.PowerType) }, ops.Now, timeout);
                    await MachineOperations.SaveAsync(c, tx, m, before, outcome, actor, r.Aborted);
                    pending.Add((m, outcome.Power));
                    released.Add(m.SystemId);
                }
            },
            r.Aborted);
        foreach (var (machine, request) in pending)
            await ops.ApplyPowerAsync(machine, request, r.Aborted);
        return ApiResult.Json(released);
    }

    private static async Task<ApiResult> ListAllocatedAsync(ApiRequest r)
    {
        var ids = r.Strings("id");
        var views = await r.Service<MachineStore>().ListAsync(
            new MachineQuery { Statuses = [(int)NodeStatus.ALLOCATED], OwnerId = r.Caller.Id, SystemIds = ids.Count > 0 ? ids : null }, r.Aborted);
        return ApiResult.JsonUtf8(MachineJson.Many(views));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest r)
    {
        var actor = r.Caller.ToActor();
        var deployed = r.Bool("deployed", false);
        var commission = r.Bool("commission", true) && !deployed;
        var machine = await ReadNewMachineAsync(r, enlisting: false) with
        {
            Status = deployed ? NodeStatus.DEPLOYED : NodeStatus.NEW,
            OwnerId = deployed ? actor.UserId : null,
        };
        var systemId = await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var id = await MachineWrites.CreateAsync(c, tx, machine, Random.Shared, r.Aborted);
                var nodeId = await NodeIdAsync(c, tx, id, r.Aborted);
                await EventStore.RecordAsync(c, tx, nodeId, new NodeEvent(EventTypes.NODE, $"Created machine{(deployed ? " (already deployed)" : "")}.", "create"), actor, r.Aborted);
                return id;
            },
            r.Aborted);
        if (commission && actor.IsAdmin && machine.PowerType.Length > 0)
        {
            var options = new CommissionOptions
            {
                EnableSsh = r.Bool("enable_ssh", false),
                SkipBmcConfig = r.Bool("skip_bmc_config", false),
                SkipNetworking = r.Bool("skip_networking", false),
                SkipStorage = r.Bool("skip_storage", false),
            };
            var ops = r.Service<MachineOperations>();
            var timeout = await NodeTimeoutAsync(r);
            await ops.RunAsync(systemId, actor, m => MachineLifecycle.Commission(m, actor, options, ops.Now, timeout), r.Aborted);
        }

        return await RespondAsync(r, systemId);
    }

    /// <summary>
    /// Enlistment from the ephemeral environment. A machine that is still New or Commissioning and
    /// already owns one of the MACs is updated instead of duplicated (the environment may retry).
    /// </summary>
    private static async Task<ApiResult> EnlistAsync(ApiRequest r)
    {
        var commission = r.Bool("commission", false);
        var machine = await ReadNewMachineAsync(r, enlisting: commission);
        var db = r.Service<Database>();
        var systemId = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var existing = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                    $"""
                    SELECT n.system_id FROM node n JOIN interface i ON i.node_id = n.id
                    WHERE i.mac_address::text = ANY(@macs) AND n.status IN ({(int)NodeStatus.NEW}, {(int)NodeStatus.COMMISSIONING}) LIMIT 1
                    """,
                    new { macs = machine.MacAddresses.ToArray() },
                    tx,
                    cancellationToken: r.Aborted));
                if (existing is not null)
                {
                    var nodeId = await NodeIdAsync(c, tx, existing, r.Aborted);
                    await MachineWrites.UpdateColumnsAsync(
                        c,
                        tx,
                        nodeId,
                        new Dictionary<string, object?> { ["architecture"] = machine.Architecture, ["power_type"] = machine.PowerType, ["power_parameters"] = machine.PowerParametersJson },
                        r.Aborted);
                    return existing;
                }

                var id = await MachineWrites.CreateAsync(c, tx, machine, Random.Shared, r.Aborted);
                await EventStore.RecordAsync(c, tx, await NodeIdAsync(c, tx, id, r.Aborted), new NodeEvent(EventTypes.ENLISTED, "Enlisted from the ephemeral environment"), null, r.Aborted);
                return id;
            },
            r.Aborted);
        var view = await r.Service<MachineStore>().GetAsync(systemId, r.Aborted) ?? throw MachineOperations.NotFound(systemId);
        return ApiResult.JsonUtf8(MachineJson.Anonymous(view));
    }

    private static async Task<NewMachine> ReadNewMachineAsync(ApiRequest r, bool enlisting)
    {
        var errors = new FieldErrors();
        var power = r.Service<IPowerService>();
        var db = r.Service<Database>();
        string architecture = "", hostname = "", minHwe = "";
        IReadOnlyList<string> macs = [];
        errors.Try(() => architecture = MachineFields.Architecture(r.RequiredString("architecture"), r.String("subarchitecture")));
        errors.Try(() => macs = MachineFields.MacAddresses(r.Strings("mac_addresses")));
        if (r.Strings("mac_addresses").Count == 0)
            errors.Add("mac_addresses", "This field is required.");
        errors.Try(() => hostname = r.String("hostname") is { Length: > 0 } h ? MachineFields.Hostname(h) : "");
        errors.Try(() => minHwe = MachineFields.MinHweKernel(r.String("min_hwe_kernel") ?? ""));
        var powerType = r.String("power_type") ?? "";
        if (powerType.Length > 0 && !power.PowerTypes.Contains(powerType))
            errors.Add("power_type", $"'{powerType}' is not a valid power type. Valid types are: {string.Join(", ", power.PowerTypes)}.");
        var powerParameters = "{}";
        if (powerType.Length == 0 || power.PowerTypes.Contains(powerType))
            errors.Try(() => powerParameters = MachineFields.CheckedPowerParameters(r, powerType, null)?.ToJsonString() ?? "{}");
        var (domainId, zoneId, poolId) = await db.ReadAsync(
            async c =>
            {
                var domain = r.String("domain") is { Length: > 0 } d
                    ? await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM domain WHERE name = @d", new { d }, cancellationToken: r.Aborted))
                    : await c.QuerySingleAsync<long?>(new CommandDefinition("SELECT id FROM domain WHERE is_default", cancellationToken: r.Aborted));
                var zone = await NamedEntityStore.Zones(db).FindAsync(c, null, r.String("zone") ?? "default", r.Aborted);
                var pool = await NamedEntityStore.Pools(db).FindAsync(c, null, r.String("pool") ?? "default", r.Aborted);
                return (domain, zone?.Id, pool?.Id);
            },
            r.Aborted);
        if (domainId is null)
            errors.Add("domain", $"Select a valid choice. {r.String("domain")} is not one of the available choices.");
        if (zoneId is null)
            errors.Add("zone", $"Select a valid choice. {r.String("zone")} is not one of the available choices.");
        if (poolId is null)
            errors.Add("pool", $"Select a valid choice. {r.String("pool")} is not one of the available choices.");
        errors.ThrowIfAny();
        return new NewMachine
        {
            Hostname = hostname.Length > 0 ? hostname : null,
            Description = r.String("description") ?? "",
            Architecture = architecture,
            MinHweKernel = minHwe,
            DomainId = domainId!.Value,
            ZoneId = zoneId!.Value,
            PoolId = poolId,
            PowerType = powerType,
            PowerParametersJson = powerParameters,
            Enlisting = enlisting,
            MacAddresses = macs,
        };
    }

    private static Task<long> NodeIdAsync(NpgsqlConnection c, NpgsqlTransaction tx, string systemId, CancellationToken ct) =>
        c.QuerySingleAsync<long>(new CommandDefinition("SELECT id FROM node WHERE system_id = @systemId", new { systemId }, tx, cancellationToken: ct));

    internal static Task<ApiResult> IsRegisteredAsync(ApiRequest r) => IsRegisteredAsync(r, [(int)NodeStatus.RETIRED]);

    private static Task<ApiResult> IsRegisteredAnonAsync(ApiRequest r) =>
        IsRegisteredAsync(r, [(int)NodeStatus.RETIRED, (int)NodeStatus.NEW, (int)NodeStatus.COMMISSIONING]);

    private static async Task<ApiResult> IsRegisteredAsync(ApiRequest r, int[] ignoredStatuses)
    {
        var mac = MachineFields.MacAddresses([r.RequiredString("mac_address")], "mac_address")[0];
        var registered = await r.Service<Database>().ReadAsync(
            c => c.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                SELECT EXISTS (SELECT 1 FROM interface i JOIN node n ON n.id = i.node_id
                               WHERE i.mac_address = @mac::macaddr AND NOT (n.status = ANY(@ignoredStatuses)))
                """,
                new { mac, ignoredStatuses },
                cancellationToken: r.Aborted)),
            r.Aborted);
        return ApiResult.Json(registered);
    }

    private static async Task<ApiResult> IsActionInProgressAsync(ApiRequest r)
    {
        var mac = MachineFields.MacAddresses([r.RequiredString("mac_address")], "mac_address")[0];
        var busy = await r.Service<Database>().ReadAsync(
            c => c.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"""
                SELECT EXISTS (SELECT 1 FROM interface i JOIN node n ON n.id = i.node_id
                               WHERE i.mac_address = @mac::macaddr AND n.status IN ({(int)NodeStatus.COMMISSIONING}, {(int)NodeStatus.DEPLOYING}))
                """,
                new { mac },
                cancellationToken: r.Aborted)),
            r.Aborted);
        return ApiResult.Json(busy);
    }

    private static Task<ApiResult> AcceptAnonAsync(ApiRequest r) =>
        throw new UnauthorizedException("You must be logged in to accept machines.");

    private static async Task<ApiResult> AcceptAsync(ApiRequest r)
    {
        var systemIds = r.Strings("machines").Distinct(StringComparer.Ordinal).ToList();
        var known = await r.Service<MachineStore>().ListAsync(new MachineQuery { SystemIds = systemIds }, r.Aborted);
        var unknown = systemIds.Except(known.Select(k => k.SystemId), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ValidationException("machines", $"Unknown machine(s): {string.Join(", ", unknown)}.");
        return await AcceptViewsAsync(r, known);
    }

    private static async Task<ApiResult> AcceptAllAsync(ApiRequest r)
    {
        var fresh = await r.Service<MachineStore>().ListAsync(new MachineQuery { Statuses = [(int)NodeStatus.NEW] }, r.Aborted);
        return await AcceptViewsAsync(r, fresh);
    }

    /// <summary>Accepting a New machine starts its commissioning; machines in other states are left as they are.</summary>
    private static async Task<ApiResult> AcceptViewsAsync(ApiRequest r, IReadOnlyList<MachineView> views)
    {
        var actor = r.Caller.ToActor();
        var ops = r.Service<MachineOperations>();
        var timeout = await NodeTimeoutAsync(r);
        var accepted = new List<string>();
        foreach (var view in views.Where(v => v.Status == (int)NodeStatus.NEW))
        {
            await ops.RunAsync(view.SystemId, actor, m => MachineLifecycle.Commission(m, actor, new CommissionOptions(), ops.Now, timeout), r.Aborted);
            accepted.Add(view.SystemId);
        }

        var result = await r.Service<MachineStore>().ListAsync(new MachineQuery { SystemIds = accepted }, r.Aborted);
        return ApiResult.JsonUtf8(MachineJson.Many(result));
    }

    private static async Task<ApiResult> PowerParametersManyAsync(ApiRequest r)
    {
        var ids = r.Strings("id");
        var rows = await r.Service<Database>().ReadAsync(
            c => c.QueryAsync<(string SystemId, string Parameters)>(new CommandDefinition(
                "SELECT system_id, power_parameters::text FROM node WHERE node_type = 0 AND (cardinality(@ids) = 0 OR system_id = ANY(@ids)) ORDER BY id",
                new { ids = ids.ToArray() },
                cancellationToken: r.Aborted)),
            r.Aborted);
        var result = rows.ToDictionary(x => x.SystemId, x => JsonDocument.Parse(x.Parameters).RootElement, StringComparer.Ordinal);
        return ApiResult.Json(result);
    }

    internal static Task<ApiResult> SetZoneAsync(ApiRequest r) => MoveAsync(r, "zone", "nodes", NamedEntityStore.Zones(r.Service<Database>()), "zone_id");

    private static Task<ApiResult> SetPoolAsync(ApiRequest r) => MoveAsync(r, "pool", "machines", NamedEntityStore.Pools(r.Service<Database>()), "pool_id");

    private static async Task<ApiResult> MoveAsync(ApiRequest r, string field, string listField, NamedEntityStore targets, string column)
    {
        var actor = r.Caller.ToActor();
        var name = r.RequiredString(field);
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var target = await targets.FindAsync(c, tx, name, r.Aborted)
                    ?? throw new ValidationException(field, $"Select a valid choice. {name} is not one of the available choices.");
                foreach (var systemId in r.Strings(listField).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    var m = await MachineStore.LockAsync(c, tx, systemId, r.Aborted)
                        ?? throw new ValidationException(listField, $"Unknown node: {systemId}.");
                    NodePermissions.Require(actor, m, NodePermission.Admin);
                    await MachineWrites.UpdateColumnsAsync(c, tx, m.Id, new Dictionary<string, object?> { [column] = target.Id }, r.Aborted);
                    await EventStore.RecordAsync(c, tx, m.Id, new NodeEvent(EventTypes.NODE, $"Moved to {field} '{target.Name}'.", $"set_{field}"), actor, r.Aborted);
                }
            },
            r.Aborted);
        return ApiResult.Ok;
    }
}
