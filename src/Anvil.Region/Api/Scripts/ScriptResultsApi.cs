using Anvil.Data;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;
using Npgsql;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Scripts;

/// <summary>
/// MAAS's <c>nodes/{system_id}/results/</c> [node-script-results] and <c>…/results/{id}/</c>: a node's
/// script sets (commissioning, testing, installation, release runs) with their results. Everyone
/// who can see the node reads them (every user, without RBAC); deleting a set and suppressing
/// results are for admins.
/// </summary>
internal static class ScriptResultsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("NodeScriptResultsHandler", "nodes/{system_id}/results/", "Manage node script results.")
            .Read(
                ListAsync,
                "Return script results.\n\nThe node's script sets, oldest first, each with its results.",
                String("type", "commissioning, testing, installation or release (or the number)."),
                String("hardware_type", "Only results of scripts for this hardware type."),
                String("include_output", "Include base64 outputs when given any value."),
                String("filters", "Comma-separated script names, tags or result ids."),
                ApiError.NotFound("No such node."),
                ApiError.BadRequest("type or hardware_type is unknown."));

        api.Handler("NodeScriptResultHandler", "nodes/{system_id}/results/{id}/", "Manage node script results.")
            .Read(
                ReadAsync,
                "Get specific script result.\n\nid is a script set id, current-commissioning, current-testing or current-installation.",
                [.. FilterParams(), NotFound, BadId])
            .Update(
                UpdateAsync,
                "Update specific script result.\n\nSets suppressed on the (filtered) results of the set.",
                ApiAccess.Admin,
                [.. FilterParams(), String("suppressed", "true or false."), NotFound, BadId, ApiError.Forbidden("The caller is not an admin.")])
            .Delete(
                DeleteAsync,
                "Delete script results.\n\nThe current commissioning and installation sets cannot be deleted.",
                ApiAccess.Admin,
                NotFound,
                BadId,
                ApiError.Forbidden("The caller is not an admin."))
            .Get(
                "download",
                DownloadAsync,
                """
                Download script results.

                As text (one result alone, or each under a dashed title) or as a tar.xz of files named
                <hostname>-<type>-<id>/<script>[.out|.err|.yaml].
                """,
                [
                    .. FilterParams().Where(p => p is not ApiParam { Name: "include_output" }),
                    String("output", "combined (default), stdout, stderr, result or all."),
                    String("filetype", "txt (default) or tar.xz."),
                    NotFound,
                    BadId,
                ]);
    }

    private static ApiError NotFound => ApiError.NotFound("No such node or script set.");

    private static ApiError BadId => ApiError.BadRequest("id is not a number or a current-* name, or a filter is unknown.");

    private static ApiSpecItem[] FilterParams() =>
    [
        String("hardware_type", "Only results of scripts for this hardware type."),
        String("include_output", "Include base64 outputs when given any value."),
        String("filters", "Comma-separated script names, tags or result ids."),
    ];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        int? type = request.String("type") is { Length: > 0 } t ? (int)ScriptMetadataConversions.ParseResultType(t) : null;
        var query = ResultQuery.From(request);
        var dtos = await request.Service<Database>().ReadAsync(
            async c =>
            {
                var node = await FindNodeAsync(c, null, request, forUpdate: false);
                var sets = await ScriptSetStore.OfNodeAsync(c, node.Id, type, request.Aborted);
                return await RenderAsync(c, null, node, sets, query, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dtos);
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var query = ResultQuery.From(request);
        var dto = await request.Service<Database>().ReadAsync(
            async c =>
            {
                var node = await FindNodeAsync(c, null, request, forUpdate: false);
                var set = await FindSetAsync(c, null, node, request);
                return (await RenderAsync(c, null, node, [set], query, request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var query = ResultQuery.From(request);
        var suppressed = request.String("suppressed") is { Length: > 0 } s ? ApiRequest.ParseBool("suppressed", s) : (bool?)null;
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var node = await FindNodeAsync(c, tx, request, forUpdate: true);
                var set = await FindSetAsync(c, tx, node, request);
                if (suppressed is { } value)
                {
                    var results = query.Apply(await ScriptResultStore.ResultsAsync(c, tx, [set.Id], withOutput: false, request.Aborted));
                    await ScriptResultStore.SetSuppressedAsync(c, tx, [.. results.Select(r => r.Id)], value, request.Aborted);
                }

                return (await RenderAsync(c, tx, node, [set], query, request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var node = await FindNodeAsync(c, tx, request, forUpdate: true);
                var set = await FindSetAsync(c, tx, node, request);
                if (set.Id == node.CurrentCommissioningResultId || set.Id == node.CurrentInstallationResultId)
                {
                    var kind = ScriptMetadataConversions.Label(set.ResultType).ToLowerInvariant();
                    throw new BadRequestException($"Unable to delete the current {kind} script set for node: {node.Fqdn}");
                }

                if (set.Id == node.CurrentTestingResultId)
                    await ScriptSetStore.SetCurrentAsync(c, tx, node.Id, ResultType.Testing, await ScriptSetStore.PreviousTestingSetAsync(c, tx, node.Id, set.Id, ct), ct);
                await ScriptSetStore.DeleteAsync(c, tx, set.Id, ct);
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> DownloadAsync(ApiRequest request)
    {
        var query = ResultQuery.From(request);
        var output = request.String("output") ?? "combined";
        var filetype = request.String("filetype") ?? "txt";
        var (node, set, results) = await request.Service<Database>().ReadAsync(
            async c =>
            {
                var node = await FindNodeAsync(c, null, request, forUpdate: false);
                var set = await FindSetAsync(c, null, node, request);
                return (node, set, query.Apply(await ScriptResultStore.ResultsAsync(c, null, [set.Id], withOutput: true, request.Aborted)));
            },
            request.Aborted);
        return await ScriptResultsDownload.RenderAsync(node, set, results, output, filetype, request.Aborted);
    }

    private static async Task<List<ScriptSetDto>> RenderAsync(
        NpgsqlConnection c, NpgsqlTransaction? tx, ResultsNode node, IReadOnlyList<ScriptSetRecord> sets, ResultQuery query, CancellationToken ct)
    {
        var results = (await ScriptResultStore.ResultsAsync(c, tx, [.. sets.Select(s => s.Id)], query.IncludeOutput, ct)).ToLookup(r => r.ScriptSetId);
        var passed = await ScriptResultStore.PassedRunsAsync(c, tx, node.Id, ct);
        return [.. sets.Select(s => ScriptResultJson.Set(node, s, [.. results[s.Id]], query.Apply(results[s.Id]), passed, query.IncludeOutput))];
    }

    private static async Task<ResultsNode> FindNodeAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request, bool forUpdate) =>
        await ScriptResultStore.FindNodeAsync(c, tx, request.Path("system_id"), forUpdate, request.Aborted)
        ?? throw new NotFoundException("No Node matches the given query.");

    /// <summary>MAAS's _get_script_set: a current-* name (when set) or a set id of this node.</summary>
    private static async Task<ScriptSetRecord> FindSetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ResultsNode node, ApiRequest request)
    {
        var id = request.Path("id");
        long? setId = id switch
        {
            "current-commissioning" => node.CurrentCommissioningResultId,
            "current-testing" => node.CurrentTestingResultId,
            "current-installation" => node.CurrentInstallationResultId,
            _ when id.Length is > 0 and < 19 && id.All(char.IsAsciiDigit) => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        if (setId is null)
        {
            throw new BadRequestException(
                $"Unknown id \"{id}\" must be current-commissioning, current-testing, current-installation, or the id number of a specific result.");
        }

        return await ScriptSetStore.FindOfNodeAsync(c, tx, node.Id, setId.Value, request.Aborted)
            ?? throw new NotFoundException("No ScriptSet matches the given query.");
    }
}
