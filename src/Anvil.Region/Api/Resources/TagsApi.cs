using Anvil.Data;
using Anvil.Data.Machines;
using Anvil.Data.Tags;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Tags;
using Anvil.Region.Api.Devices;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Anvil.Region.Api.Resources.Dto;
using Npgsql;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// MAAS's <c>tags/</c> and <c>tags/{name}/</c> resources. A tag with an XPath definition is
/// evaluated against every node's probed hardware details in the transaction that sets the
/// definition, so its node list is right as soon as the call returns.
/// </summary>
internal static class TagsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("TagsHandler", "tags/", "Tags: labels on nodes, set by hand or by an XPath over their hardware details.")
            .Read(ListAsync, "List tags.\n\nEvery tag, in creation order.")
            .Create(
                CreateAsync,
                """
                Create a tag.

                With a definition, the tag is automatic: every node whose hardware details match the XPath
                gets it, now and after each commissioning. Without one, nodes are tagged by hand.
                """,
                ApiAccess.Admin,
                ApiParam.String("name", "The name of the tag: letters, digits, '-' and '_'.", required: true),
                ApiParam.String("comment", "A free-text description of the tag."),
                ApiParam.String("definition", "An XPath 1.0 expression over the lshw (and lldp:) details of nodes."),
                ApiParam.String("kernel_opts", "Kernel options added to the command line of nodes with this tag."),
                ApiError.BadRequest("The name is missing, invalid or taken, or the definition is not valid XPath."),
                ApiError.Forbidden("The caller is not an admin."));

        var tag = api.Handler("TagHandler", "tags/{name}/", "One tag, by name.")
            .Read(ReadAsync, "Read a tag.\n\nIts name, definition, comment and kernel options.", ApiError.NotFound("No such tag."))
            .Update(
                UpdateAsync,
                """
                Update a tag.

                A changed definition is evaluated against every node straight away.
                """,
                ApiAccess.Admin,
                ApiParam.String("name", "The new name of the tag."),
                ApiParam.String("comment", "The new comment."),
                ApiParam.String("definition", "The new XPath definition."),
                ApiParam.String("kernel_opts", "The new kernel options."),
                ApiError.NotFound("No such tag."),
                ApiError.BadRequest("The new name is invalid or taken, or the definition is not valid XPath."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a tag.\n\nThe tag is removed from every node.",
                ApiAccess.Admin,
                ApiError.NotFound("No such tag."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "rebuild",
                RebuildAsync,
                """
                Re-evaluate an automatic tag against every node.

                Manual tags (no definition) are left as they are.
                """,
                ApiAccess.Admin,
                ApiError.NotFound("No such tag."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "update_nodes",
                UpdateNodesAsync,
                """
                Add or remove the tag on nodes by system_id.

                When definition is given it must equal the tag's current definition, so that a caller working
                from a stale definition does not apply it. Unknown system_ids are ignored.
                """,
                ApiAccess.Admin,
                ApiParam.Strings("add", "System ids of nodes to tag."),
                ApiParam.Strings("remove", "System ids of nodes to untag."),
                ApiParam.String("definition", "The definition the caller expects the tag to have."),
                ApiParam.String("rack_controller", "The system id of the rack controller reporting the result (accepted, unused)."),
                ApiError.NotFound("No such tag."),
                ApiError.Conflict("The definition given differs from the tag's definition."),
                ApiError.Forbidden("The caller is not an admin."));

        foreach (var (op, title, types) in NodeListings)
        {
            tag.Get(
                op,
                request => ListNodesAsync(request, types),
                $"List the {title} with this tag.\n\nMachines (and, for nodes, every node) are rendered as machine objects.",
                ApiError.NotFound("No such tag."));
        }
    }

    private static readonly (string Op, string Title, int[]? Types)[] NodeListings =
    [
        ("nodes", "nodes", null),
        ("machines", "machines", [(int)NodeType.MACHINE]),
        ("devices", "devices", [(int)NodeType.DEVICE]),
        ("rack_controllers", "rack controllers", [(int)NodeType.RACK_CONTROLLER, (int)NodeType.REGION_AND_RACK_CONTROLLER]),
        ("region_controllers", "region controllers", [(int)NodeType.REGION_CONTROLLER, (int)NodeType.REGION_AND_RACK_CONTROLLER]),
    ];

    private static async Task<ApiResult> ListAsync(ApiRequest request) =>
        ApiResult.Json((await new TagStore(request.Service<Database>()).ListAsync(request.Aborted)).Select(TagDto.From).ToList());

    private static async Task<ApiResult> ReadAsync(ApiRequest request) =>
        ApiResult.Json(TagDto.From(await new TagStore(request.Service<Database>()).FindAsync(request.Path("name"), request.Aborted) ?? throw NotFound()));

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var name = ResourceNames.Check("name", request.RequiredString("name"));
        var definition = (request.String("definition") ?? "").Trim();
        var parsed = TagDefinition.Parse(definition);
        var candidate = new TagRecord(0, name, definition, request.String("comment") ?? "", request.String("kernel_opts") ?? "");
        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var inserted = await TagStore.InsertAsync(c, tx, candidate, request.Aborted)
                    ?? throw new ValidationException("name", "Tag with this Name already exists.");
                if (!parsed.IsManual)
                    await TagStore.EvaluateAsync(c, tx, inserted, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.TAGS, $"Created tag '{inserted.Name}'.");
                return inserted;
            },
            request.Aborted);
        return ApiResult.Json(TagDto.From(created));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var newName = request.String("name") is { Length: > 0 } n ? ResourceNames.Check("name", n) : null;
        var newDefinition = request.Has("definition") ? (request.String("definition") ?? "").Trim() : null;
        var parsed = newDefinition is null ? null : TagDefinition.Parse(newDefinition);
        var updated = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var current = await TagStore.FindAsync(c, tx, request.Path("name"), ct) ?? throw NotFound();
                if (newName is not null && newName != current.Name && await TagStore.FindAsync(c, tx, newName, ct) is not null)
                    throw new ValidationException("name", "Tag with this Name already exists.");
                var changed = current with
                {
                    Name = newName ?? current.Name,
                    Definition = newDefinition ?? current.Definition,
                    Comment = request.Has("comment") ? request.String("comment") ?? "" : current.Comment,
                    KernelOpts = request.Has("kernel_opts") ? request.String("kernel_opts") ?? "" : current.KernelOpts,
                };
                var saved = await SaveAsync(c, tx, changed, ct);
                if (parsed is { IsManual: false } && saved.Definition != current.Definition)
                    await TagStore.EvaluateAsync(c, tx, saved, ct);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.TAGS, $"Updated tag '{saved.Name}'.");
                return saved;
            },
            request.Aborted);
        return ApiResult.Json(TagDto.From(updated));
    }

    /// <summary>The name check above races with concurrent renames; the unique index settles it.</summary>
    private static async Task<TagRecord> SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, TagRecord tag, CancellationToken ct)
    {
        try
        {
            return await TagStore.UpdateAsync(c, tx, tag, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ValidationException("name", "Tag with this Name already exists.");
        }
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await TagStore.FindAsync(c, tx, request.Path("name"), request.Aborted) ?? throw NotFound();
                await TagStore.DeleteAsync(c, tx, current.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.TAGS, $"Deleted tag '{current.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> RebuildAsync(ApiRequest request)
    {
        var name = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await TagStore.FindAsync(c, tx, request.Path("name"), request.Aborted) ?? throw NotFound();
                if (!TagDefinition.Parse(current.Definition).IsManual)
                {
                    var (added, removed) = await TagStore.EvaluateAsync(c, tx, current, request.Aborted);
                    await ApiAudit.RecordAsync(c, tx, request, EventTypes.TAGS, $"Rebuilt tag '{current.Name}': added to {added} node(s), removed from {removed}.");
                }

                return current.Name;
            },
            request.Aborted);
        return ApiResult.Json(new TagRebuildingDto(name));
    }

    private static async Task<ApiResult> UpdateNodesAsync(ApiRequest request)
    {
        var add = request.Strings("add").Where(s => s.Length > 0).ToList();
        var remove = request.Strings("remove").Where(s => s.Length > 0).ToList();
        var expected = request.String("definition");
        var result = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var current = await TagStore.FindAsync(c, tx, request.Path("name"), ct) ?? throw NotFound();
                if (expected is not null && expected != current.Definition)
                    throw new ConflictException($"Definition supplied '{expected}' does not match the current definition '{current.Definition}'.");
                var added = add.Count == 0 ? 0 : await TagStore.AddNodesAsync(c, tx, current.Id, await TagStore.NodeIdsAsync(c, tx, add, ct), ct);
                var removed = remove.Count == 0 ? 0 : await TagStore.RemoveNodesAsync(c, tx, current.Id, await TagStore.NodeIdsAsync(c, tx, remove, ct), ct);
                if (added + removed > 0)
                    await ApiAudit.RecordAsync(c, tx, request, EventTypes.TAGS, $"Tag '{current.Name}' added to {added} node(s), removed from {removed}.");
                return new TagNodesUpdatedDto(added, removed);
            },
            request.Aborted);
        return ApiResult.Json(result);
    }

    private static async Task<ApiResult> ListNodesAsync(ApiRequest request, int[]? nodeTypes)
    {
        var db = request.Service<Database>();
        var nodes = await db.ReadAsync(
            async c =>
            {
                var current = await TagStore.FindAsync(c, null, request.Path("name"), request.Aborted) ?? throw NotFound();
                return await TagStore.TaggedNodesAsync(c, current.Id, nodeTypes, request.Aborted);
            },
            request.Aborted);

        if (nodeTypes is [(int)NodeType.DEVICE])
        {
            var devices = nodes.Count == 0 ? [] : await DeviceReads.ListAsync(db, [.. nodes.Select(n => n.SystemId)], request.Aborted);
            return ApiResult.JsonUtf8(DeviceJson.Many(devices));
        }

        var renderAsMachines = nodeTypes is null || nodeTypes is [(int)NodeType.MACHINE];
        if (!renderAsMachines)
        {
            // TODO(node-json): controllers have no renderer of their own yet, so they are
            // listed as {system_id, hostname, node_type, resource_uri} stubs.
            return ApiResult.Json(nodes.Select(TaggedNodeDto.From).ToList());
        }

        if (nodes.Count == 0)
            return ApiResult.Json(Array.Empty<object>());
        var query = new MachineQuery { SystemIds = nodes.Select(n => n.SystemId).ToList(), NodeType = nodeTypes?[0] };
        var views = await new MachineStore(db).ListAsync(query, request.Aborted);
        return ApiResult.JsonUtf8(MachineJson.Many(views));
    }

    private static NotFoundException NotFound() => new("No Tag matches the given query.");
}
