using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Controllers;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Data.Zones;
using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Anvil.Region.Power;
using Dapper;
using Npgsql;

namespace Anvil.Region.Api.Controllers;

/// <summary>What <c>rackcontrollers/</c> and <c>regioncontrollers/</c> share: listing, reading, updating and deleting a controller in one role.</summary>
internal static class ControllerActions
{
    public static async Task<ApiResult> ListAsync(ApiRequest r, ControllerRole role)
    {
        var constraints = await MachinesApi.ParseConstraintsAsync(r, ConstraintFormKind.Read);
        var controllers = await r.Service<ControllerStore>().ListAsync(role, null, r.Aborted);
        return ApiResult.JsonUtf8(ControllerJson.Many(
            constraints.IsEmpty ? controllers : controllers.Where(c => ConstraintMatcher.Matches(constraints, MachineCandidates.From(c.Node))),
            role));
    }

    public static async Task<ApiResult> ReadAsync(ApiRequest r, ControllerRole role) =>
        ApiResult.JsonUtf8(ControllerJson.One(await GetAsync(r, role), role));

    public static async Task<ControllerView> GetAsync(ApiRequest r, ControllerRole role) =>
        await r.Service<ControllerStore>().GetAsync(role, r.Path("system_id"), r.Aborted) ?? throw NotFound(role);

    /// <summary>PUT: <c>description</c>, <c>power_type</c>, <c>power_parameters_*</c>, <c>zone</c>, and for racks <c>domain</c>.</summary>
    public static async Task<ApiResult> UpdateAsync(ApiRequest r, ControllerRole role)
    {
        var actor = r.Caller.ToActor();
        var power = r.Service<IPowerService>();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var node = await LockAsync(c, tx, r, role);
                var columns = new Dictionary<string, object?>();
                var errors = new FieldErrors();
                if (r.String("description") is { } description)
                    columns["description"] = description;
                if (role == ControllerRole.Rack && r.String("domain") is { } domainName)
                {
                    var domainId = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                        "SELECT id FROM domain WHERE name = @domainName", new { domainName }, tx, cancellationToken: r.Aborted));
                    if (domainId is null)
                        errors.Add("domain", $"Select a valid choice. {domainName} is not one of the available choices.");
                    else
                        columns["domain_id"] = domainId;
                }

                if (r.String("zone") is { } zoneName)
                {
                    if (await NamedEntityStore.Zones(r.Service<Database>()).FindAsync(c, tx, zoneName, r.Aborted) is { } zone)
                        columns["zone_id"] = zone.Id;
                    else
                        errors.Add("zone", $"Select a valid choice. {zoneName} is not one of the available choices.");
                }

                if (r.String("power_type") is { } powerType)
                {
                    if (powerType.Length > 0 && !power.PowerTypes.Contains(powerType))
                        errors.Add("power_type", $"'{powerType}' is not a valid power type. Valid types are: {string.Join(", ", power.PowerTypes)}.");
                    columns["power_type"] = powerType;
                }

                var current = JsonNode.Parse(await MachineWrites.PowerParametersAsync(c, tx, node.Id, r.Aborted)) as JsonObject;
                errors.Try(() =>
                {
                    if (MachineFields.PowerParameters(r, current) is { } parameters)
                        columns["power_parameters"] = parameters.ToJsonString();
                });
                errors.ThrowIfAny();
                await NodeUpdate.SaveAsync(c, tx, node.Id, columns, actor, r.Aborted);
            },
            r.Aborted);
        return await ReadAsync(r, role);
    }

    /// <summary>DELETE: the controller loses the role (see <see cref="ControllerStore.RemoveRoleAsync"/>); <c>force</c> turns DHCP off where it was the only server.</summary>
    public static async Task<ApiResult> DeleteAsync(ApiRequest r, ControllerRole role)
    {
        var actor = r.Caller.ToActor();
        var force = r.Bool("force", false);
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var node = await LockAsync(c, tx, r, role);
                var what = role == ControllerRole.Rack ? "rack controller" : "region controller";
                await EventStore.RecordAsync(c, tx, node.Id, new NodeEvent(EventTypes.NODE, $"Deleted {what} '{node.Hostname}'.", "delete"), actor, r.Aborted);
                await ControllerStore.RemoveRoleAsync(c, tx, node.Id, node.Hostname, (int)node.NodeType, role, force, r.Aborted);
            },
            r.Aborted);
        return ApiResult.Deleted;
    }

    public static async Task<ApiResult> PowerParametersAsync(ApiRequest r, ControllerRole role)
    {
        var controller = await GetAsync(r, role);
        var json = await r.Service<Database>().ReadAsync(c => MachineWrites.PowerParametersAsync(c, null, controller.Node.Id, r.Aborted), r.Aborted);
        return ApiResult.JsonUtf8(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The collection's <c>power_parameters</c>: <c>{system_id: {…}}</c> for the given ids, or every controller of the role.</summary>
    public static async Task<ApiResult> PowerParametersManyAsync(ApiRequest r, ControllerRole role)
    {
        var ids = r.Strings("id").ToArray();
        var rows = await r.Service<Database>().ReadAsync(
            c => c.QueryAsync<(string SystemId, string Parameters)>(new CommandDefinition(
                "SELECT system_id, power_parameters::text FROM node WHERE node_type = ANY(@nodeTypes) AND (cardinality(@ids) = 0 OR system_id = ANY(@ids)) ORDER BY id",
                new { nodeTypes = ControllerRoles.NodeTypes(role), ids },
                cancellationToken: r.Aborted)),
            r.Aborted);
        return ApiResult.Json(rows.ToDictionary(x => x.SystemId, x => JsonDocument.Parse(x.Parameters).RootElement, StringComparer.Ordinal));
    }

    public static NotFoundException NotFound(ControllerRole role) =>
        new($"No {(role == ControllerRole.Rack ? "RackController" : "RegionController")} matches the given query.");

    /// <summary>Locks the node row; 404 for unknown ids and for nodes that do not hold the role.</summary>
    private static async Task<Machine> LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, ApiRequest r, ControllerRole role) =>
        await MachineStore.LockAsync(c, tx, r.Path("system_id"), r.Aborted) is { } node && ControllerRoles.Holds((int)node.NodeType, role)
            ? node
            : throw NotFound(role);
}
