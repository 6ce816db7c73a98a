using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Dapper;
using Npgsql;

namespace Anvil.Region.Api.Devices;

/// <summary>Creating a device and the actions of <c>devices/{system_id}/</c>.</summary>
internal static class DeviceActions
{
    public static async Task<ApiResult> CreateAsync(ApiRequest r)
    {
        var actor = r.Caller.ToActor();
        var errors = new FieldErrors();
        IReadOnlyList<string> macs = [];
        string? hostname = null;
        if (r.Strings("mac_addresses").Count == 0)
            errors.Add("mac_addresses", "This field is required.");
        else
            errors.Try(() => macs = MachineFields.MacAddresses(r.Strings("mac_addresses")));
        errors.Try(() => hostname = r.String("hostname") is { Length: > 0 } h ? MachineFields.Hostname(h) : null);
        var systemId = await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var domainId = await DomainIdAsync(c, tx, r.String("domain"), errors, r.Aborted);
                var parentId = await ParentIdAsync(c, tx, r.String("parent"), errors, r.Aborted);
                errors.ThrowIfAny();
                var device = new NewMachine
                {
                    Hostname = hostname,
                    Description = r.String("description") ?? "",
                    NodeType = NodeType.DEVICE,
                    Architecture = "",
                    DomainId = domainId!.Value,
                    OwnerId = actor.UserId,
                    MacAddresses = macs,
                };
                var id = await MachineWrites.CreateAsync(c, tx, device, Random.Shared, r.Aborted);
                var nodeId = await NodeIdAsync(c, tx, id, r.Aborted);
                if (parentId is not null)
                    await MachineWrites.UpdateColumnsAsync(c, tx, nodeId, new Dictionary<string, object?> { ["parent_id"] = parentId }, r.Aborted);
                await EventStore.RecordAsync(c, tx, nodeId, new NodeEvent(EventTypes.NODE, "Created device.", "create"), actor, r.Aborted);
                return id;
            },
            r.Aborted);
        return await RespondAsync(r, systemId);
    }

    public static async Task<ApiResult> UpdateAsync(ApiRequest r)
    {
        var systemId = r.Path("system_id");
        var actor = r.Caller.ToActor();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var device = await LockAsync(c, tx, r, NodePermission.Edit);
                var columns = new Dictionary<string, object?>();
                var errors = new FieldErrors();
                await NodeUpdate.ReadCommonAsync(r, c, tx, device.Id, columns, errors);
                if (r.String("parent") is { } parent)
                {
                    var parentId = await ParentIdAsync(c, tx, parent, errors, r.Aborted);
                    if (parentId == device.Id)
                        errors.Add("parent", "A device cannot be its own parent.");
                    else if (parent.Length == 0 || parentId is not null)
                        columns["parent_id"] = parentId;
                }

                errors.ThrowIfAny();
                await NodeUpdate.SaveAsync(c, tx, device.Id, columns, actor, r.Aborted);
            },
            r.Aborted);
        return await RespondAsync(r, systemId);
    }

    public static async Task<ApiResult> DeleteAsync(ApiRequest r)
    {
        var actor = r.Caller.ToActor();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var device = await LockAsync(c, tx, r, NodePermission.Edit);
                await EventStore.RecordAsync(c, tx, device.Id, new NodeEvent(EventTypes.NODE, $"Deleted device '{device.Hostname}'.", "delete"), actor, r.Aborted);
                await DeleteAddressesAsync(c, tx, device.Id, r.Aborted);
                await MachineWrites.DeleteAsync(c, tx, device.Id, r.Aborted);
            },
            r.Aborted);
        return ApiResult.Deleted;
    }

    /// <summary>
    /// A device's network returns to what creating it made: its physical interfaces, with no
    /// addresses assigned (observed DHCP leases stay; they are facts, not configuration).
    /// </summary>
    public static async Task<ApiResult> RestoreNetworkingAsync(ApiRequest r)
    {
        var actor = r.Caller.ToActor();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var device = await LockAsync(c, tx, r, NodePermission.Edit);
                await DeleteAddressesAsync(c, tx, device.Id, r.Aborted);
                await c.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM interface WHERE node_id = @id AND type <> 'physical'", new { id = device.Id }, tx, cancellationToken: r.Aborted));
                await EventStore.RecordAsync(c, tx, device.Id, new NodeEvent(EventTypes.NODE, "Restored the default network configuration.", "restore networking"), actor, r.Aborted);
            },
            r.Aborted);
        return await RespondAsync(r, r.Path("system_id"));
    }

    public static async Task<ApiResult> SetWorkloadAnnotationsAsync(ApiRequest r)
    {
        var pairs = r.Form.Keys.Select(k => (Key: k, Value: r.String(k) ?? "")).ToList();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var device = await LockAsync(c, tx, r, NodePermission.Edit);
                if (device.OwnerId != r.Caller.Id)
                    throw new ConflictException("Can't set workload annotations on a device you don't own.");
                foreach (var (key, value) in pairs)
                {
                    if (value.Length == 0)
                        device.WorkloadAnnotations.Remove(key);
                    else
                        device.WorkloadAnnotations[key] = value;
                }

                await MachineStore.SaveLifecycleAsync(c, tx, device, r.Aborted);
            },
            r.Aborted);
        return await RespondAsync(r, r.Path("system_id"));
    }

    public static async Task<ApiResult> DetailsAsync(ApiRequest r)
    {
        var device = await DeviceReads.GetAsync(r.Service<Database>(), r.Path("system_id"), r.Aborted);
        var (lshw, lldp) = await r.Service<Database>().ReadAsync(
            c => c.QuerySingleOrDefaultAsync<(string?, string?)>(new CommandDefinition(
                "SELECT lshw, lldp FROM node_probed_details WHERE node_id = @id", new { id = device.Node.Id }, cancellationToken: r.Aborted)),
            r.Aborted);
        return ApiResult.Bytes(Bson.BinaryDocument([("lshw", lshw), ("lldp", lldp)]), "application/bson");
    }

    public static async Task<ApiResult> PowerParametersAsync(ApiRequest r)
    {
        var json = await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var device = await LockAsync(c, tx, r, NodePermission.AdminRead);
                return await MachineWrites.PowerParametersAsync(c, tx, device.Id, r.Aborted);
            },
            r.Aborted);
        return ApiResult.JsonUtf8(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static async Task<ApiResult> RespondAsync(ApiRequest r, string systemId) =>
        ApiResult.JsonUtf8(DeviceJson.One(await DeviceReads.GetAsync(r.Service<Database>(), systemId, r.Aborted)));

    /// <summary>Locks the device row and checks the caller's permission; 404 for unknown ids and for nodes that are not devices.</summary>
    private static async Task<Machine> LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, ApiRequest r, NodePermission permission)
    {
        var device = await MachineStore.LockAsync(c, tx, r.Path("system_id"), r.Aborted) is { NodeType: NodeType.DEVICE } d ? d : throw DeviceReads.NotFound();
        NodePermissions.Require(r.Caller.ToActor(), device, permission);
        return device;
    }

    /// <summary>Addresses assigned to the device's interfaces (not observed leases, which the interfaces' deletion unlinks).</summary>
    private static Task<int> DeleteAddressesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM staticipaddress a USING interface_ip l, interface i
            WHERE l.staticipaddress_id = a.id AND i.id = l.interface_id AND i.node_id = @nodeId AND a.alloc_type <> 6
            """,
            new { nodeId },
            tx,
            cancellationToken: ct));

    private static async Task<long?> DomainIdAsync(NpgsqlConnection c, NpgsqlTransaction tx, string? name, FieldErrors errors, CancellationToken ct)
    {
        var id = name is { Length: > 0 }
            ? await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM domain WHERE name = @name", new { name }, tx, cancellationToken: ct))
            : await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM domain WHERE is_default", transaction: tx, cancellationToken: ct));
        if (id is null)
            errors.Add("domain", $"Select a valid choice. {name} is not one of the available choices.");
        return id;
    }

    /// <summary>The parent node's id; null for no parent (empty or absent), with a field error when the system_id is unknown.</summary>
    private static async Task<long?> ParentIdAsync(NpgsqlConnection c, NpgsqlTransaction tx, string? systemId, FieldErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(systemId))
            return null;
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM node WHERE system_id = @systemId", new { systemId }, tx, cancellationToken: ct));
        if (id is null)
            errors.Add("parent", $"Select a valid choice. {systemId} is not one of the available choices.");
        return id;
    }

    private static Task<long> NodeIdAsync(NpgsqlConnection c, NpgsqlTransaction tx, string systemId, CancellationToken ct) =>
        c.QuerySingleAsync<long>(new CommandDefinition("SELECT id FROM node WHERE system_id = @systemId", new { systemId }, tx, cancellationToken: ct));
}
