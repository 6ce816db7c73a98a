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
/// MAAS's <c>boot-sources/</c> and <c>boot-sources/{id}/</c> (maas-api.md §3.17), in MAAS's admin
/// URL group: every action, reads included, is for admins. A source is a simplestreams mirror and
/// the keyring its signatures are checked with (<c>keyring_data</c>, base64 in JSON, or a
/// <c>keyring_filename</c> on the region), unless <c>skip_keyring_verification</c> is set.
/// </summary>
internal static class BootSourcesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("BootSourcesHandler", "boot-sources/", "Manage the collection of boot sources.")
            .Read(ListAsync, "List boot sources.\n\nHighest priority first.", ApiAccess.Admin, Forbidden)
            .Create(CreateAsync, "Create a boot source.\n\nA simplestreams mirror to import boot images from.", ApiAccess.Admin, [.. FormParams(), BadRequest, Forbidden]);

        api.Handler("BootSourceHandler", "boot-sources/{id}/", "Manage a boot source.")
            .Read(ReadAsync, "Read a boot source.", ApiAccess.Admin, NotFound, Forbidden)
            .Update(UpdateAsync, "Update a boot source.\n\nFields left out keep their values.", ApiAccess.Admin, [.. FormParams(), NotFound, BadRequest, Forbidden])
            .Delete(DeleteAsync, "Delete a boot source.\n\nIts selections go with it.", ApiAccess.Admin, NotFound, Forbidden);

        BootSourceSelectionsApi.Map(api);
    }

    private static ApiError NotFound => ApiError.NotFound("No such boot source.");

    private static ApiError BadRequest => ApiError.BadRequest("A field is missing or invalid.");

    private static ApiError Forbidden => ApiError.Forbidden("The caller is not an admin.");

    private static ApiSpecItem[] FormParams() =>
    [
        String("url", "The URL of the simplestreams mirror, e.g. http://images.maas.io/ephemeral-v3/stable/."),
        String("keyring_filename", "A keyring file on the region to check the mirror's signatures with."),
        File("keyring_data", "The keyring's content (binary GPG keyring)."),
        String("name", "A name for the source."),
        Int("priority", "Sources with a higher priority are read first."),
        Bool("enabled", "Whether imports read this source."),
        Bool("skip_keyring_verification", "Read unsigned index.json documents instead of checking signatures."),
    ];

    internal static Dictionary<string, object?> Json(BootSourceRecord s) => new()
    {
        ["id"] = s.Id,
        ["url"] = s.Url,
        ["keyring_filename"] = s.KeyringFilename,
        ["keyring_data"] = Convert.ToBase64String(s.KeyringData),
        ["name"] = s.Name,
        ["priority"] = s.Priority,
        ["enabled"] = s.Enabled,
        ["skip_keyring_verification"] = s.SkipKeyringVerification,
        ["created"] = ApiJson.FormatDateTime(s.Created),
        ["updated"] = ApiJson.FormatDateTime(s.Updated),
        ["resource_uri"] = ResourceUris.Item("boot-sources", s.Id),
    };

    private static async Task<ApiResult> ListAsync(ApiRequest request) =>
        ApiResult.Json((await request.Service<Database>().ReadAsync(c => BootSourceStore.ListAsync(c, null, request.Aborted), request.Aborted)).Select(Json).ToList());

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var id = Id(request, "id");
        return ApiResult.Json(Json(await request.Service<Database>().ReadAsync(c => FindAsync(c, null, id, false, request.Aborted), request.Aborted)));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var source = Apply(request, new BootSourceRecord());
        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) => await BootSourceStore.InsertAsync(c, tx, source, request.Aborted) ?? throw new ValidationException("url", UrlTaken),
            request.Aborted);
        return ApiResult.Json(Json(created), Microsoft.AspNetCore.Http.StatusCodes.Status201Created);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var id = Id(request, "id");
        var updated = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var changed = Apply(request, (await FindAsync(c, tx, id, true, request.Aborted)).Copy());
                try
                {
                    return await BootSourceStore.UpdateAsync(c, tx, changed, request.Aborted);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new ValidationException("url", UrlTaken);
                }
            },
            request.Aborted);
        return ApiResult.Json(Json(updated));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = Id(request, "id");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await FindAsync(c, tx, id, true, request.Aborted);
                await BootSourceStore.DeleteAsync(c, tx, id, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private const string UrlTaken = "Boot source with this Url already exists.";

    /// <summary>Applies the form to <paramref name="source"/>; a create must name the URL and, unless verification is skipped, a keyring.</summary>
    private static BootSourceRecord Apply(ApiRequest request, BootSourceRecord source)
    {
        var errors = new FieldErrors();
        if (request.String("url") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https" or "file"))
                errors.Add("url", "Enter a valid URL.");
            source.Url = url;
        }
        else if (source.Id == 0)
        {
            errors.Add("url", "This field is required.");
        }

        if (request.String("keyring_filename") is { } filename)
            source.KeyringFilename = filename;
        if (request.Form.GetFile("keyring_data") is { } keyringFile)
            source.KeyringData = keyringFile.Content;
        else if (request.String("keyring_data") is { } keyringText)
            source.KeyringData = DecodeKeyring(keyringText, errors);
        if (request.String("name") is { } name)
            source.Name = name;
        if (request.Int("priority") is { } priority)
            source.Priority = priority;
        if (request.Bool("enabled") is { } enabled)
            source.Enabled = enabled;
        if (request.Bool("skip_keyring_verification") is { } skip)
            source.SkipKeyringVerification = skip;
        if (!source.SkipKeyringVerification && source.KeyringFilename.Length == 0 && source.KeyringData.Length == 0)
            errors.Add("keyring_filename", "One of keyring_filename or keyring_data must be specified.");
        errors.ThrowIfAny();
        return source;
    }

    /// <summary>keyring_data as a text field is base64, as MAAS's clients send binary fields.</summary>
    private static byte[] DecodeKeyring(string text, FieldErrors errors)
    {
        if (text.Length == 0)
            return [];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            errors.Add("keyring_data", "Enter the keyring as a file or as base64.");
            return [];
        }
    }

    internal static long Id(ApiRequest request, string name) =>
        long.TryParse(request.Path(name), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new NotFoundException("No BootSource matches the given query.");

    internal static async Task<BootSourceRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, bool forUpdate, CancellationToken ct) =>
        await BootSourceStore.FindAsync(c, tx, id, forUpdate, ct) ?? throw new NotFoundException("No BootSource matches the given query.");
}
