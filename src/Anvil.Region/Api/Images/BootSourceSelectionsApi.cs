using System.Globalization;
using Anvil.Data;
using Anvil.Data.Images;
using Anvil.Domain.Errors;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Images;

/// <summary>
/// MAAS's <c>boot-sources/{boot_source_id}/selections/</c> and <c>…/selections/{id}/</c>: what an
/// import takes from a source (os, release, and arches, subarches and labels where <c>*</c> is any).
/// Admin only, like the sources.
/// </summary>
internal static class BootSourceSelectionsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("BootSourceSelectionsHandler", "boot-sources/{boot_source_id}/selections/", "Manage the collection of boot source selections.")
            .Read(ListAsync, "List boot source selections.", ApiAccess.Admin, NotFound, Forbidden)
            .Create(CreateAsync, "Create a boot source selection.", ApiAccess.Admin, [.. FormParams(), NotFound, BadRequest, Forbidden]);

        api.Handler("BootSourceSelectionHandler", "boot-sources/{boot_source_id}/selections/{id}/", "Manage a boot source selection.")
            .Read(ReadAsync, "Read a boot source selection.", ApiAccess.Admin, NotFound, Forbidden)
            .Update(UpdateAsync, "Update a boot source selection.\n\nFields left out keep their values.", ApiAccess.Admin, [.. FormParams(), NotFound, BadRequest, Forbidden])
            .Delete(DeleteAsync, "Delete a boot source selection.", ApiAccess.Admin, NotFound, Forbidden);
    }

    private static ApiError NotFound => ApiError.NotFound("No such boot source or selection.");

    private static ApiError BadRequest => ApiError.BadRequest("A field is missing or invalid, or the source already selects that os and release.");

    private static ApiError Forbidden => ApiError.Forbidden("The caller is not an admin.");

    private static ApiSpecItem[] FormParams() =>
    [
        String("os", "The operating system, e.g. ubuntu (default)."),
        String("release", "The release, e.g. noble."),
        Strings("arches", "Architectures to import; * for all (default)."),
        Strings("subarches", "Subarchitectures to import; * for all (default)."),
        Strings("labels", "Labels to import; * for all (default)."),
    ];

    private static Dictionary<string, object?> Json(BootSourceSelectionRecord s) => new()
    {
        ["boot_source_id"] = s.BootSourceId,
        ["id"] = s.Id,
        ["os"] = s.Os,
        ["release"] = s.Release,
        ["arches"] = s.Arches,
        ["subarches"] = s.Subarches,
        ["labels"] = s.Labels,
        ["resource_uri"] = $"{ResourceUris.Prefix}boot-sources/{s.BootSourceId}/selections/{s.Id}/",
    };

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var sourceId = BootSourcesApi.Id(request, "boot_source_id");
        var list = await request.Service<Database>().ReadAsync(
            async c =>
            {
                await BootSourcesApi.FindAsync(c, null, sourceId, false, request.Aborted);
                return await BootSourceStore.SelectionsAsync(c, null, sourceId, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(list.Select(Json).ToList());
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var (sourceId, id) = Ids(request);
        return ApiResult.Json(Json(await request.Service<Database>().ReadAsync(c => FindAsync(c, null, sourceId, id, false, request.Aborted), request.Aborted)));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var sourceId = BootSourcesApi.Id(request, "boot_source_id");
        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await BootSourcesApi.FindAsync(c, tx, sourceId, true, request.Aborted);
                var selection = Apply(request, new BootSourceSelectionRecord { BootSourceId = sourceId, Os = "ubuntu" });
                return await BootSourceStore.InsertSelectionAsync(c, tx, selection, request.Aborted) ?? throw Duplicate();
            },
            request.Aborted);
        return ApiResult.Json(Json(created), Microsoft.AspNetCore.Http.StatusCodes.Status201Created);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var (sourceId, id) = Ids(request);
        var updated = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var changed = Apply(request, (await FindAsync(c, tx, sourceId, id, true, request.Aborted)).Copy());
                try
                {
                    return await BootSourceStore.UpdateSelectionAsync(c, tx, changed, request.Aborted);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw Duplicate();
                }
            },
            request.Aborted);
        return ApiResult.Json(Json(updated));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var (sourceId, id) = Ids(request);
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await FindAsync(c, tx, sourceId, id, true, request.Aborted);
                await BootSourceStore.DeleteSelectionAsync(c, tx, id, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static BootSourceSelectionRecord Apply(ApiRequest request, BootSourceSelectionRecord selection)
    {
        var errors = new FieldErrors();
        if (request.String("os") is { Length: > 0 } os)
            selection.Os = os;
        if (request.String("release") is { Length: > 0 } release)
            selection.Release = release;
        else if (selection.Id == 0)
            errors.Add("release", "This field is required.");
        if (request.Has("arches"))
            selection.Arches = List(request, "arches");
        if (request.Has("subarches"))
            selection.Subarches = List(request, "subarches");
        if (request.Has("labels"))
            selection.Labels = List(request, "labels");
        errors.ThrowIfAny();
        return selection;
    }

    /// <summary>A repeated field, also taking comma-separated values; empty means any.</summary>
    private static string[] List(ApiRequest request, string name)
    {
        var values = request.Strings(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
        return values.Length == 0 ? ["*"] : values;
    }

    private static ValidationException Duplicate() =>
        new("__all__", "Boot source selection with this Boot source, Os and Release already exists.");

    private static (long SourceId, long Id) Ids(ApiRequest request) =>
        (BootSourcesApi.Id(request, "boot_source_id"),
         long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw NoSelection());

    private static async Task<BootSourceSelectionRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long sourceId, long id, bool forUpdate, CancellationToken ct) =>
        await BootSourceStore.FindSelectionAsync(c, tx, sourceId, id, forUpdate, ct) ?? throw NoSelection();

    private static NotFoundException NoSelection() => new("No BootSourceSelection matches the given query.");
}
