using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Data.Storage;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Storage;
using Anvil.Region.Api.Framework;
using Dapper;

namespace Anvil.Region.Api.Storage;

/// <summary>Which machine states a storage change is allowed in, with MAAS's refusals.</summary>
internal abstract record StateRule
{
    public abstract void Check(Machine machine, Domain.Users.Actor actor);

    /// <summary>Structural changes: Ready only (409 with <paramref name="refusal"/>).</summary>
    public static StateRule Ready(string refusal) => new States(refusal, NodeStatus.READY);

    /// <summary>Block device PUT: Ready, or Deployed for identity fields.</summary>
    public static StateRule ReadyOrDeployed(string refusal) => new States(refusal, NodeStatus.READY, NodeStatus.DEPLOYED);

    /// <summary>
    /// format/unformat/mount/unmount: the owner may change an Allocated machine's file systems;
    /// on a Ready machine only an admin may.
    /// </summary>
    public static StateRule ReadyOrAllocated(string operation, string noun, string machineWord) => new Allocated(operation, noun, machineWord);

    private sealed record States(string Refusal, params NodeStatus[] Allowed) : StateRule
    {
        public override void Check(Machine machine, Domain.Users.Actor actor)
        {
            if (!Allowed.Contains(machine.Status))
                throw new ConflictException(Refusal);
        }
    }

    private sealed record Allocated(string Operation, string Noun, string MachineWord) : StateRule
    {
        public override void Check(Machine machine, Domain.Users.Actor actor)
        {
            if (machine.Status is not (NodeStatus.READY or NodeStatus.ALLOCATED))
                throw new ConflictException($"Cannot {Operation} {Noun} because the {MachineWord} is not Ready or Allocated.");
            if (machine.Status == NodeStatus.READY && !actor.IsAdmin)
                throw new ForbiddenException($"Cannot {Operation} {Noun} because you don't have the permissions on a Ready {MachineWord}.");
        }
    }
}

/// <summary>What a change handler works on: the locked machine and its storage model.</summary>
internal sealed record StorageEdit(ApiRequest Request, Machine Machine, StorageModel Model);

/// <summary>
/// Runs storage reads and changes. A change is one transaction: the node row locked, permission
/// and state checked, the model loaded, changed, written back and audited; the answer is rendered
/// from the saved model, so ids are the database's.
/// </summary>
internal static class StorageChange
{
    public static async Task<ApiResult> ReadAsync(ApiRequest r, Func<StorageModel, JsonNode?> render)
    {
        var systemId = r.Path("system_id");
        var model = await r.Service<Database>().ReadAsync(
            async c =>
            {
                var nodeId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT id FROM node WHERE system_id = @systemId AND node_type = @machine", new { systemId, machine = (int)NodeType.MACHINE }, cancellationToken: r.Aborted));
                return nodeId is { } id ? await StorageReader.LoadAsync(c, null, id, lockNode: false, r.Aborted) : null;
            },
            r.Aborted) ?? throw NodeNotFound();
        return ApiResult.Json(render(model));
    }

    /// <summary>
    /// Runs <paramref name="change"/>; it returns what to answer with once saved (null: 204).
    /// <paramref name="description"/> is the audit text.
    /// </summary>
    public static async Task<ApiResult> RunAsync(
        ApiRequest r, NodePermission permission, StateRule rule, string action, Func<StorageEdit, Func<JsonNode?>?> change, Func<StorageEdit, string>? description = null)
    {
        var systemId = r.Path("system_id");
        var actor = r.Caller.ToActor();
        var answer = await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var machine = await MachineStore.LockAsync(c, tx, systemId, r.Aborted);
                if (machine is null || machine.NodeType != NodeType.MACHINE)
                    throw NodeNotFound();
                var model = await StorageReader.LoadAsync(c, tx, machine.Id, lockNode: false, r.Aborted) ?? throw NodeNotFound();
                var edit = new StorageEdit(r, machine, model);
                NodePermissions.Require(actor, machine, permission);
                rule.Check(machine, actor);
                var render = change(edit);
                await StorageWriter.SaveAsync(c, tx, model, r.Aborted);
                var text = description?.Invoke(edit) ?? $"Storage: {action.Replace('_', ' ')}.";
                await EventStore.RecordAsync(c, tx, machine.Id, new NodeEvent(EventTypes.NODE, text, action), actor, r.Aborted);
                return render?.Invoke();
            },
            r.Aborted);
        return answer is null ? ApiResult.Deleted : ApiResult.Json(answer);
    }

    public static NotFoundException NodeNotFound() => new("No Machine matches the given query.");

    public static StorageDevice DeviceOf(StorageModel m, string id) => m.DeviceOr404(id);

    public static StorageGroup GroupOf(StorageModel m, string id, Func<StorageGroup, bool> kind, string what) =>
        (long.TryParse(id, out var n) ? m.Groups.FirstOrDefault(g => g.Id == n && kind(g)) : m.Groups.FirstOrDefault(g => g.Name == id && kind(g)))
        ?? throw new NotFoundException($"No {what} matches the given query.");

    public static StorageCacheSet CacheSetOf(StorageModel m, string id) =>
        (long.TryParse(id, out var n) ? m.CacheSets.FirstOrDefault(s => s.Id == n) : m.CacheSets.FirstOrDefault(s => s.Name == id))
        ?? throw new NotFoundException("No CacheSet matches the given query.");

    /// <summary>Repeated form values, also accepting one comma-separated value.</summary>
    public static IReadOnlyList<string> Ids(ApiRequest r, string name) =>
        [.. r.Strings(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
