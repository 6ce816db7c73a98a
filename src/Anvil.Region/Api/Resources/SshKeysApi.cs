using Anvil.Data;
using Anvil.Data.SshKeys;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Resources;

/// <summary>MAAS's <c>account/prefs/sshkeys/</c> resources: the caller's SSH public keys.</summary>
internal static class SshKeysApi
{
    private static readonly string[] KeySources = ["lp", "gh"];

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("SSHKeysHandler", "account/prefs/sshkeys/", "The requesting user's SSH public keys.")
            .Read(ListAsync, "List SSH keys.\n\nOnly the requesting user's own keys are listed.")
            .Create(
                CreateAsync,
                """
                Add an SSH public key for the requesting user.

                The key is an OpenSSH public key line: ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256/384/521,
                or a FIDO (sk-) key, followed by its base64 data and an optional comment.
                """,
                ApiParam.String("key", "A public SSH key.", required: true),
                ApiError.BadRequest("The key is not a valid public key, or the user already has it."))
            .Post(
                "import",
                ImportAsync,
                """
                Import the requesting user's SSH keys from Launchpad or GitHub.

                Anvil cannot reach Launchpad or GitHub, so imports are refused with an explanation;
                add each key with create instead.
                """,
                ApiParam.String("keysource", "The source of the keys: lp:<user> for Launchpad or gh:<user> for GitHub.", required: true),
                ApiError.BadRequest("The keysource is malformed, or keys cannot be imported from this region."));

        api.Handler("SSHKeyHandler", "account/prefs/sshkeys/{id}/", "One SSH public key, by id.")
            .Read(ReadAsync, "Read an SSH key.\n\nOnly its owner (or an admin) may read a key.", ApiError.NotFound("No such key, or it is not yours."))
            .Delete(
                DeleteAsync,
                "Delete an SSH key.\n\nOnly the owner of a key may delete it.",
                ApiError.NotFound("No such key."),
                ApiError.Forbidden("The key belongs to another user."));
    }

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var keys = await new SshKeyStore(request.Service<Database>()).ListAsync(request.Caller.Id, request.Aborted);
        return ApiResult.Json(keys.Select(SshKeyDto.From).ToList());
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        if (!SshPublicKey.TryParse(request.RequiredString("key"), out var key, out var error))
            throw new ValidationException("key", error);
        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var inserted = await SshKeyStore.InsertAsync(c, tx, request.Caller.Id, key.ToString(), keysource: null, request.Aborted)
                    ?? throw new ValidationException("key", "This key has already been added for this user.");
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Created SSH key {inserted.Id}.");
                return inserted;
            },
            request.Aborted);
        return ApiResult.Json(SshKeyDto.From(created), StatusCodes.Status201Created);
    }

    private static Task<ApiResult> ImportAsync(ApiRequest request)
    {
        var keysource = request.RequiredString("keysource");
        var parts = keysource.Split(':', 2);
        if (parts.Length != 2 || !KeySources.Contains(parts[0]) || parts[1].Length == 0)
            throw new ValidationException("keysource", "Expected lp:<user> (Launchpad) or gh:<user> (GitHub).");
        throw new BadRequestException(
            $"Cannot import SSH keys from '{keysource}': this Anvil region does not fetch keys from Launchpad or GitHub. " +
            "Add each public key with 'sshkeys create key=...' instead.");
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var key = await FindAsync(request);
        if (key.UserId != request.Caller.Id && !request.Caller.IsSuperuser)
            throw NotFound();
        return ApiResult.Json(SshKeyDto.From(key));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var key = await FindAsync(request);
        if (key.UserId != request.Caller.Id)
            throw new ForbiddenException("Cannot delete a key you do not own.");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                if (await SshKeyStore.DeleteAsync(c, tx, key.Id, request.Aborted) == 0)
                    throw NotFound();
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Deleted SSH key {key.Id}.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<SshKeyRecord> FindAsync(ApiRequest request) =>
        (long.TryParse(request.Path("id"), out var id) ? await new SshKeyStore(request.Service<Database>()).FindAsync(id, request.Aborted) : null)
        ?? throw NotFound();

    private static NotFoundException NotFound() => new("No SSHKey matches the given query.");
}
