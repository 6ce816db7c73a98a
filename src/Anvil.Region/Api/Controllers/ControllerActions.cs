using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Controllers;
using Anvil.Data.Events;
using Anvil.Data.Machines;
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
                await NodeUpdate.ReadPlacementAsync(r, c, tx, columns, errors, withDomain: role == ControllerRole.Rack);
                await NodeUpdate.ReadPowerAsync(r, c, tx, node.Id, columns, errors);
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
