using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Images;
using Anvil.Domain.Errors;
using Anvil.Domain.Images;
using Anvil.Region.Api.Framework;
using Anvil.Region.Images;
using Microsoft.AspNetCore.Http;
using Npgsql;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Images;

/// <summary>
/// MAAS's <c>boot-resources/</c>, <c>boot-resources/{id}/</c> and the chunked upload
/// <c>boot-resources/{id}/upload/{file_id}/</c> (maas-api.md §3.17). Everyone reads; changes are
/// for admins. An upload creates the resource with one incomplete file, whose content then arrives
/// in PUT chunks (the CLI sends 4 MiB each) and is checked against the declared sha256 once whole.
/// </summary>
internal static class BootResourcesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("BootResourcesHandler", "boot-resources/", "Manage the boot resources.")
            .Read(
                ListAsync,
                "List boot resources.\n\nEvery resource, optionally only synced or uploaded ones.",
                String("type", "all (default), synced or uploaded."),
                ApiError.BadRequest("type is not one of all, synced, uploaded."))
            .Create(
                CreateAsync,
                """
                Upload a new boot resource.

                Declares the resource and its file (sha256 and size); the content is then PUT in chunks to
                the file's upload_uri, or sent at once as the file part 'content'. A resource of the same
                name and architecture gets a new set.
                """,
                ApiAccess.Admin,
                String("name", "os/series (e.g. debian/bookworm), custom/name or a bare name.", required: true),
                String("architecture", "arch/subarch, e.g. amd64/generic.", required: true),
                String("sha256", "The SHA-256 of the content.", required: true),
                String("size", "The size of the content in bytes.", required: true),
                String("title", "A title shown for the resource."),
                String("filetype", "tgz (default), tbz, txz, ddtgz, ddtbz, ddtxz, ddtar, ddbz2, ddgz, ddxz or ddraw."),
                String("base_image", "os/series the custom image is based on (custom images only)."),
                File("content", "The whole content, instead of chunked uploads."),
                ApiError.BadRequest("A field is missing or invalid."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post("import", ImportAsync, "Import the boot resources.\n\nStarts importing from the boot sources, unless an import runs.", ApiAccess.Admin)
            .Post("stop_import", StopImportAsync, "Stop import of boot resources.\n\nFiles partly downloaded are resumed by the next import.", ApiAccess.Admin)
            .Get("is_importing", IsImportingAsync, "Importing status.\n\nWhether boot resources are being imported now.");

        api.Handler("BootResourceHandler", "boot-resources/{id}/", "Manage a boot resource.")
            .Read(ReadAsync, "Read a boot resource.\n\nWith its sets and their files.", NotFound)
            .Delete(DeleteAsync, "Delete a boot resource.\n\nIts files leave the store unless another resource has the same content.", ApiAccess.Admin, NotFound, ApiError.Forbidden("The caller is not an admin."));

        api.Handler("BootResourceFileUploadHandler", "boot-resources/{id}/upload/{file_id}/", "Upload a boot resource file.")
            .Update(
                UploadAsync,
                """
                Upload a chunk of a boot resource file.

                The request body is the next raw bytes of the file; Content-Length must match the body.
                The file completes when its size is reached and its SHA-256 matches.
                """,
                ApiAccess.Admin,
                NotFound,
                ApiError.BadRequest("No data, a complete file, too much data, a Content-Length mismatch, a SHA-256 mismatch or no space."),
                ApiError.Forbidden("The resource is synced, or the caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such boot resource or file.");

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        int? rtype = (request.String("type") ?? "all") switch
        {
            "all" or "" => null,
            "synced" => (int)BootResourceType.Synced,
            "uploaded" => (int)BootResourceType.Uploaded,
            var other => throw new BadRequestException($"'{other}' is not a valid boot resource type. Available types: all, synced, uploaded."),
        };
        var resources = await request.Service<Database>().ReadAsync(c => BootResourceStore.ListAsync(c, null, rtype, request.Aborted), request.Aborted);
        return ApiResult.Json(resources.Select(BootResourceJson.Summary).ToList());
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var id = ResourceId(request);
        return ApiResult.Json(await request.Service<Database>().ReadAsync(
            async c => await RenderAsync(c, null, await FindAsync(c, null, id, forUpdate: false, request.Aborted), request.Aborted),
            request.Aborted));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var form = UploadForm.Read(request);
        var store = request.Service<ImageFileStore>();
        var ct = request.Aborted;
        if (form.Content is { } content)
        {
            using (await store.LockAsync(form.Sha256, ct))
            {
                if (!store.Has(form.Sha256))
                {
                    store.DeletePartial(form.Sha256);
                    await store.AppendAsync(form.Sha256, new MemoryStream(content), content.Length, ct);
                    if (!await store.TryCompleteAsync(form.Sha256, form.Size, ct))
                        throw new ValidationException("content", "The content does not match the given sha256 and size.");
                }
            }
        }

        var version = DateTimeOffset.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var json = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var existing = await BootResourceStore.FindByNameAsync(c, tx, form.Name.Stored, form.Architecture.ToString(), ct);
                var resource = await BootResourceStore.UpsertAsync(
                    c,
                    tx,
                    new BootResourceRecord
                    {
                        Rtype = (int)BootResourceType.Uploaded,
                        Name = form.Name.Stored,
                        Architecture = form.Architecture.ToString(),
                        Extra = JsonSerializer.Serialize(new Dictionary<string, string> { ["title"] = form.Title, ["subarches"] = form.Architecture.Subarch }),
                        BaseImage = form.BaseImage ?? existing?.BaseImage ?? "",
                    },
                    ct);
                var taken = (await BootResourceStore.SetsAsync(c, tx, [resource.Id], ct)).Select(s => s.Version).ToHashSet(StringComparer.Ordinal);
                var setVersion = version;
                for (var n = 1; taken.Contains(setVersion); n++)
                    setVersion = $"{version}.{n}";
                var set = await BootResourceStore.EnsureSetAsync(c, tx, resource.Id, setVersion, "uploaded", ct);
                var present = store.Has(form.Sha256) ? form.Size : 0;
                await BootResourceStore.UpsertFileAsync(c, tx, set.Id, form.FileType, form.FileType, form.Sha256, form.Size, present, "{}", ct);
                return await RenderAsync(c, tx, resource, ct);
            },
            ct);
        return ApiResult.Json(json, StatusCodes.Status201Created);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = ResourceId(request);
        var ct = request.Aborted;
        var orphans = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var resource = await FindAsync(c, tx, id, forUpdate: true, ct);
                var sets = await BootResourceStore.SetsAsync(c, tx, [resource.Id], ct);
                var shas = (await BootResourceStore.FilesAsync(c, tx, [.. sets.Select(s => s.Id)], ct)).Select(f => f.Sha256).Distinct().ToList();
                await BootResourceStore.DeleteAsync(c, tx, resource.Id, ct);
                var orphaned = new List<string>();
                foreach (var sha in shas)
                {
                    if (!await BootResourceStore.IsReferencedAsync(c, tx, sha, ct))
                        orphaned.Add(sha);
                }

                return orphaned;
            },
            ct);
        var store = request.Service<ImageFileStore>();
        foreach (var sha in orphans)
        {
            using (await store.LockAsync(sha, ct))
                store.Delete(sha);
        }

        return ApiResult.Deleted;
    }

    private static Task<ApiResult> ImportAsync(ApiRequest request)
    {
        _ = request.Service<ImageImporter>().Start();
        return Task.FromResult(ApiResult.Text("Import of boot resources started"));
    }

    private static Task<ApiResult> StopImportAsync(ApiRequest request)
    {
        request.Service<ImageImporter>().Stop();
        return Task.FromResult(ApiResult.Text("Import of boot resources is being stopped"));
    }

    private static Task<ApiResult> IsImportingAsync(ApiRequest request) =>
        Task.FromResult(ApiResult.Json(request.Service<ImageImporter>().IsImporting));

    private static async Task<ApiResult> UploadAsync(ApiRequest request)
    {
        var ct = request.Aborted;
        var db = request.Service<Database>();
        var store = request.Service<ImageFileStore>();
        var resourceId = ResourceId(request);
        var fileId = long.TryParse(request.Path("file_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : throw NoFile();
        var (resource, file) = await db.ReadAsync(
            async c =>
            {
                var resource = await FindAsync(c, null, resourceId, forUpdate: false, ct);
                var file = await BootResourceStore.FindFileAsync(c, null, fileId, forUpdate: false, ct) ?? throw NoFile();
                var sets = await BootResourceStore.SetsAsync(c, null, [resource.Id], ct);
                return sets.Any(s => s.Id == file.SetId) ? (resource, file) : throw NoFile();
            },
            ct);
        if (resource.Rtype == (int)BootResourceType.Synced)
            throw new ForbiddenException("Cannot upload to a resource file that is synced.");

        using (await store.LockAsync(file.Sha256, ct))
        {
            if (store.Has(file.Sha256))
            {
                await MarkAsync(db, file.Sha256, file.Size, ct);
                throw new BadRequestException("Cannot upload to a complete file.");
            }

            var length = request.Http.Request.ContentLength ?? 0;
            if (length <= 0)
                throw new BadRequestException("Missing data.");
            var present = store.BytesPresent(file.Sha256);
            if (present + length > file.Size)
                throw new BadRequestException("Too much data received.");

            long total;
            try
            {
                total = await store.AppendAsync(file.Sha256, request.Http.Request.Body, length, ct);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                throw new BadRequestException("Content-Length doesn't equal size of received data.");
            }
            catch (IOException e) when (e.HResult == 28 || e.Message.Contains("No space", StringComparison.OrdinalIgnoreCase))
            {
                store.DeletePartial(file.Sha256);
                await MarkAsync(db, file.Sha256, 0, ct);
                throw new BadRequestException("Unable to save content: no space left on the region's disk.");
            }

            if (total == file.Size && !await store.TryCompleteAsync(file.Sha256, file.Size, ct))
            {
                await MarkAsync(db, file.Sha256, 0, ct);
                throw new BadRequestException("Saved content does not match given SHA256 value.");
            }

            await MarkAsync(db, file.Sha256, total, ct);
        }

        return ApiResult.Ok;
    }

    private static async Task MarkAsync(Database db, string sha256, long bytes, CancellationToken ct)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(ct);
        await BootResourceStore.SetBytesPresentAsync(connection, null, sha256, bytes, ct);
    }

    private static long ResourceId(ApiRequest request) =>
        long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw NoResource();

    private static async Task<BootResourceRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, bool forUpdate, CancellationToken ct) =>
        await BootResourceStore.FindAsync(c, tx, id, forUpdate, ct) ?? throw NoResource();

    private static async Task<Dictionary<string, object?>> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, BootResourceRecord resource, CancellationToken ct)
    {
        var sets = await BootResourceStore.SetsAsync(c, tx, [resource.Id], ct);
        var files = await BootResourceStore.FilesAsync(c, tx, [.. sets.Select(s => s.Id)], ct);
        var shortShas = ImagePaths.ShortShas(await BootResourceStore.AllSha256Async(c, tx, ct));
        return BootResourceJson.Full(resource, sets, files, shortShas);
    }

    private static NotFoundException NoResource() => new("No BootResource matches the given query.");

    private static NotFoundException NoFile() => new("No BootResourceFile matches the given query.");

    /// <summary>The create form, checked field by field as MAAS's BootResourceForm does.</summary>
    private sealed record UploadForm(
        BootResourceName Name, BootArchitecture Architecture, string Sha256, long Size, string Title, string FileType, string? BaseImage, byte[]? Content)
    {
        public static UploadForm Read(ApiRequest request)
        {
            var errors = new FieldErrors();
            BootResourceName name = default;
            BootArchitecture architecture = default;
            if (!BootResourceName.TryParse(request.String("name"), out name))
                errors.Add("name", request.String("name") is { Length: > 0 } ? "Enter a name of the form os/series, custom/name or name." : "This field is required.");
            if (!BootArchitecture.TryParse(request.String("architecture"), out architecture))
                errors.Add("architecture", request.String("architecture") is { Length: > 0 } a ? $"'{a}' is not a valid architecture; use arch/subarch, e.g. amd64/generic." : "This field is required.");

            var content = request.Form.GetFile("content")?.Content;
            var sha256 = request.String("sha256")?.Trim().ToLowerInvariant() ?? (content is null ? "" : Convert.ToHexStringLower(SHA256.HashData(content)));
            if (!Sha256Text.IsValid(sha256))
                errors.Add("sha256", sha256.Length == 0 ? "This field is required." : "Enter a SHA-256 of 64 hexadecimal digits.");
            long size = content?.Length ?? -1;
            if (request.String("size") is { Length: > 0 } sizeText && !long.TryParse(sizeText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size))
                errors.Add("size", "Enter a whole number.");
            else if (size < 0)
                errors.Add("size", "This field is required.");

            var filetypeText = request.String("filetype") is { Length: > 0 } ft ? ft : "tgz";
            var filetype = BootFileTypes.ForUpload(filetypeText);
            if (filetype is null)
                errors.Add("filetype", $"Select a valid choice. {filetypeText} is not one of the available choices.");

            string? baseImage = request.String("base_image") is { Length: > 0 } b ? b : null;
            if (baseImage is not null)
            {
                if (name != default && !name.IsCustom)
                    errors.Add("base_image", "Base image can only be set for custom images.");
                else if (!BootResourceName.TryParse(baseImage, out var parsed) || parsed.IsCustom || !baseImage.Contains('/', StringComparison.Ordinal))
                    errors.Add("base_image", "Base image must be of the form os/series.");
            }

            errors.ThrowIfAny();
            return new UploadForm(name, architecture, sha256, size, request.String("title") ?? "", filetype!, baseImage, content);
        }
    }
}
