using System.Text;
using Anvil.Data;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Scripts;

/// <summary>
/// MAAS's <c>scripts/</c> [node-scripts] and <c>scripts/{name}</c> [node-script] (no trailing slash,
/// as MAAS routes it). Everyone reads; writes are for admins. A script is addressed by name, or
/// by id when the path is all digits. Every upload of new text is a version; revert drops the newer ones.
/// </summary>
internal static class ScriptsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("NodeScriptsHandler", "scripts/", "Manage custom scripts.")
            .Read(
                ListAsync,
                "List stored scripts.\n\nScripts in id order, optionally only of one type, one hardware type, or with a name or tag in filters.",
                String("type", "commissioning, testing or release (or the number)."),
                String("hardware_type", "node, cpu, memory, storage, network or gpu (or the number)."),
                String("include_script", "Include each version's text, base64-encoded, when given any value."),
                String("filters", "Comma-separated script names or tags."),
                ApiError.BadRequest("type or hardware_type is unknown."))
            .Create(
                CreateAsync,
                """
                Create a new script.

                The script is uploaded as the file part 'script' (or as text in 'script'; or as the only file
                part, whose name becomes the script's name). Metadata embedded in the script between
                '# --- Start MAAS 1.0 script metadata ---' and '# --- End MAAS 1.0 script metadata ---' fills the
                fields the form leaves out; the form may not contradict it.
                """,
                ApiAccess.Admin,
                [.. FormParams(), ApiError.BadRequest("A field is missing or invalid, or contradicts the embedded metadata."), ApiError.Forbidden("The caller is not an admin.")]);

        api.Handler("NodeScriptHandler", "scripts/{name}", "Manage or view a custom script.")
            .Read(
                ReadAsync,
                "Return script metadata.\n\nThe script with the given name (or id).",
                String("include_script", "Include each version's text, base64-encoded, when given any value."),
                NotFound)
            .Update(
                UpdateAsync,
                """
                Update a script.

                Fields left out keep their values; a new script text becomes a new version (unchanged text
                does not). Built-in scripts only take tags and timeout.
                """,
                ApiAccess.Admin,
                [NotFound, .. FormParams().Where(p => p is not ApiParam { Name: "name" }), ApiError.BadRequest("A field is invalid, or contradicts the embedded metadata."), ApiError.Forbidden("The caller is not an admin.")])
            .Delete(
                DeleteAsync,
                "Delete a script.\n\nBuilt-in scripts cannot be deleted.",
                ApiAccess.Admin,
                NotFound,
                ApiError.BadRequest("The script is built in."),
                ApiError.Forbidden("The caller is not an admin."))
            .Get(
                "download",
                DownloadAsync,
                "Download a script.\n\nThe text of the current version, or of the given revision.",
                Int("revision", "The version (history id) to download; latest by default."),
                Int("rev", "Short for revision."),
                NotFound,
                ApiError.BadRequest("The revision is not in the script's history."))
            .Post(
                "revert",
                RevertAsync,
                "Revert a script version.\n\nMakes an earlier version current; the newer versions are dropped.",
                ApiAccess.Admin,
                Int("to", "A history id, or -N to go N versions back.", required: true),
                NotFound,
                ApiError.BadRequest("The version is not in the history, goes too far back, or the script is built in."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "add_tag",
                request => ChangeTagAsync(request, add: true),
                "Add a tag.\n\nAdds one tag to the script.",
                ApiAccess.Admin,
                String("tag", "The tag to add (no commas).", required: true),
                NotFound,
                ApiError.BadRequest("The tag contains a comma."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "remove_tag",
                request => ChangeTagAsync(request, add: false),
                "Remove a tag.\n\nThe hardware type's tag and 'destructive' follow the script's fields and stay.",
                ApiAccess.Admin,
                String("tag", "The tag to remove.", required: true),
                NotFound,
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such script.");

    private static ApiSpecItem[] FormParams() =>
    [
        String("name", "The name of the script."),
        String("title", "The title of the script."),
        String("description", "What the script does."),
        String("tags", "Comma-separated tags."),
        String("type", "When the script runs: commissioning, testing (default) or release."),
        String("hardware_type", "What the script examines: node (default), cpu, memory, storage, network or gpu."),
        String("parallel", "disabled (0), instance (1) or any (2)."),
        String("timeout", "Seconds (or [[HH:]MM:]SS) the script may run; 0 for no limit."),
        String("destructive", "Whether the script overwrites data on a drive."),
        File("script", "The script's text."),
        String("comment", "A comment on this version (only with script)."),
        String("for_hardware", "modalias:<glob>, pci:VVVV:PPPP, usb:VVVV:PPPP or <hardware_info key>:<value>, comma-separated or a JSON list."),
        String("may_reboot", "Whether the script may reboot the machine."),
        String("recommission", "Whether the built-in commissioning scripts run again after this one passes."),
        String("apply_configured_networking", "Whether the machine's configured networking is applied before the script runs."),
        String("packages", "JSON: {\"apt\": [...], \"snap\": [...], \"url\": [...]}."),
    ];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        int? type = request.String("type") is { Length: > 0 } t ? (int)Translate(() => ScriptMetadataConversions.ParseScriptType("type", t)) : null;
        int? hardware = request.String("hardware_type") is { Length: > 0 } h ? (int)Translate(() => ScriptMetadataConversions.ParseHardwareType("hardware_type", h)) : null;
        var filters = request.String("filters") is { } f ? f.Split(',').ToHashSet(StringComparer.Ordinal) : null;
        var includeScript = IncludeScript(request);
        var dtos = await request.Service<Database>().ReadAsync(
            async c =>
            {
                var scripts = (await ScriptStore.ListAsync(c, type, hardware, request.Aborted))
                    .Where(s => filters is null || filters.Contains(s.Name) || s.Tags.Any(filters.Contains))
                    .ToList();
                var versions = await ScriptStore.VersionsAsync(c, null, [.. scripts.Select(s => s.Id)], request.Aborted);
                return scripts.Select(s => ScriptDto.From(s, versions[s.Id], includeScript)).ToList();
            },
            request.Aborted);
        return ApiResult.Json(dtos);
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var includeScript = IncludeScript(request);
        return ApiResult.Json(await request.Service<Database>().ReadAsync(
            async c => await RenderAsync(c, null, await FindAsync(c, null, request, forUpdate: false), includeScript, request.Aborted),
            request.Aborted));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var form = ScriptForm.Read(request, current: null);
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var created = await ScriptStore.InsertAsync(c, tx, form.Script, form.Text!, form.Comment, request.Aborted)
                    ?? throw new ValidationException("name", NameTaken);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Saved script '{created.Name}'.");
                return await RenderAsync(c, tx, created, includeScript: false, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var current = await FindAsync(c, tx, request, forUpdate: true);
                var form = ScriptForm.Read(request, current);
                var saved = await SaveAsync(c, tx, form.Script, ct);
                if (form.Text is { } text)
                {
                    var latest = (await ScriptStore.VersionsAsync(c, tx, [saved.Id], ct))[saved.Id].FirstOrDefault();
                    if (latest?.Data != text)
                        await ScriptStore.AddVersionAsync(c, tx, saved.Id, text, form.Comment, ct);
                }

                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Saved script '{saved.Name}'.");
                return await RenderAsync(c, tx, saved, includeScript: false, ct);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var script = await FindAsync(c, tx, request, forUpdate: true);
                if (script.IsDefault)
                    throw new BadRequestException("Unable to delete default script");
                await ScriptStore.DeleteAsync(c, tx, script.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Deleted script '{script.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> DownloadAsync(ApiRequest request)
    {
        var revision = request.Int("revision") ?? request.Int("rev");
        var data = await request.Service<Database>().ReadAsync(
            async c =>
            {
                var script = await FindAsync(c, null, request, forUpdate: false);
                var versions = (await ScriptStore.VersionsAsync(c, null, [script.Id], request.Aborted))[script.Id].ToList();
                var version = revision is null ? versions.FirstOrDefault() : versions.FirstOrDefault(v => v.Id == revision);
                return version?.Data ?? throw new BadRequestException($"{revision} not found in history");
            },
            request.Aborted);
        return ApiResult.Bytes(Encoding.UTF8.GetBytes(data), "application/binary");
    }

    private static async Task<ApiResult> RevertAsync(ApiRequest request)
    {
        var to = request.Int("to")!.Value;
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var script = await FindAsync(c, tx, request, forUpdate: true);
                if (script.IsDefault)
                    throw new BadRequestException("Unable to revert default script");
                var history = (await ScriptStore.VersionsAsync(c, tx, [script.Id], ct))[script.Id].ToList();
                ScriptVersionRecord target;
                if (to == 0)
                    target = history[0];
                else if (to < 0)
                    target = -(long)to < history.Count ? history[-to] : throw new BadRequestException("Goes too far back.");
                else
                    target = history.FirstOrDefault(v => v.Id == to) ?? throw new BadRequestException($"{to} not found in history");
                if (target.Id != history[0].Id)
                {
                    await ScriptStore.DeleteVersionsAfterAsync(c, tx, script.Id, target.Id, ct);
                    await ScriptStore.TouchAsync(c, tx, script.Id, ct);
                }

                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Reverted script '{script.Name}' to revision '{to}'.");
                return await RenderAsync(c, tx, script, includeScript: false, ct);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> ChangeTagAsync(ApiRequest request, bool add)
    {
        var tag = request.RequiredString("tag");
        if (add && tag.Contains(',', StringComparison.Ordinal))
            throw new BadRequestException("Tag may not contain a \",\".");
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var script = await FindAsync(c, tx, request, forUpdate: true);
                var changed = script.Copy();
                changed.Tags = add ? (script.Tags.Contains(tag) ? script.Tags : [.. script.Tags, tag]) : [.. script.Tags.Where(t => t != tag)];
                changed.Tags = ScriptForm.AutoTags(changed);
                var saved = await ScriptStore.UpdateAsync(c, tx, changed, request.Aborted);
                await ApiAudit.RecordAsync(
                    c, tx, request, EventTypes.SETTINGS, add ? $"Added tag '{tag}' to script '{saved.Name}'." : $"Removed tag '{tag}' from script '{saved.Name}'.");
                return await RenderAsync(c, tx, saved, includeScript: false, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private const string NameTaken = "Script with this Name already exists.";

    /// <summary>The name check races with concurrent creates and renames; the unique index settles it.</summary>
    private static async Task<ScriptRecord> SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptRecord script, CancellationToken ct)
    {
        try
        {
            return await ScriptStore.UpdateAsync(c, tx, script, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ValidationException("name", NameTaken);
        }
    }

    private static async Task<ScriptRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request, bool forUpdate) =>
        await ScriptStore.FindAsync(c, tx, request.Path("name"), forUpdate, request.Aborted)
        ?? throw new NotFoundException("No Script matches the given query.");

    private static async Task<ScriptDto> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ScriptRecord script, bool includeScript, CancellationToken ct) =>
        ScriptDto.From(script, (await ScriptStore.VersionsAsync(c, tx, [script.Id], ct))[script.Id], includeScript);

    /// <summary>MAAS reads include_script with formencode's Bool: any non-empty value is true.</summary>
    private static bool IncludeScript(ApiRequest request) => request.String("include_script") is { Length: > 0 };

    /// <summary>Filters answer a bad name as text, as MAAS's handler does, rather than as a field error.</summary>
    private static T Translate<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ValidationException e)
        {
            throw new BadRequestException(e.FieldErrors.First().Value[0]);
        }
    }
}
