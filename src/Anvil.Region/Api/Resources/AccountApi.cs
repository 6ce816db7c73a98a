using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// MAAS's <c>account/</c> resource: the caller's own API tokens. Token secrets are stored only as
/// hashes, so listing cannot show them (a documented deviation from MAAS).
/// </summary>
internal static class AccountApi
{
    public static void Map(ApiCatalogBuilder api) =>
        api.Handler("AccountHandler", "account/", "The requesting user's own account and API tokens.")
            .Post(
                "create_authorisation_token",
                CreateTokenAsync,
                """
                Create a new API token for the requesting user.

                The answer holds the token secret; it is shown this once and cannot be read back later.
                """,
                ApiParam.String("name", "Optional name of the token (the consumer name); 'MAAS consumer' by default."))
            .Post(
                "delete_authorisation_token",
                DeleteTokenAsync,
                """
                Delete one of the requesting user's API tokens.

                Requests signed with the token are refused from then on.
                """,
                ApiParam.String("token_key", "The key of the token to delete.", required: true),
                ApiError.NotFound("The caller has no token with this key."))
            .Post(
                "update_token_name",
                UpdateTokenNameAsync,
                """
                Rename one of the requesting user's API tokens.

                The token may be given by its key or as the full API key consumer:token:secret.
                """,
                ApiParam.String("token", "The token key, or the full API key.", required: true),
                ApiParam.String("name", "The new name of the token.", required: true),
                ApiError.NotFound("The caller has no such token."))
            .Get(
                "list_authorisation_tokens",
                ListTokensAsync,
                """
                List the requesting user's API tokens.

                Each token is shown as consumer_key:token_key: with an empty secret, because Anvil keeps
                only a hash of token secrets.
                """);

    private static async Task<ApiResult> CreateTokenAsync(ApiRequest request)
    {
        var caller = request.Caller;
        var token = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var created = await UserStore.CreateTokenAsync(c, tx, caller.Id, request.String("name"), request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Created token '{created.ConsumerName}'.");
                return created;
            },
            request.Aborted);
        return ApiResult.Json(new NewTokenDto(token.TokenKey, token.TokenSecret, token.ConsumerKey, token.ConsumerName));
    }

    private static async Task<ApiResult> DeleteTokenAsync(ApiRequest request)
    {
        var tokenKey = request.RequiredString("token_key");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                if (await UserStore.DeleteTokenAsync(c, tx, request.Caller.Id, tokenKey, request.Aborted) == 0)
                    throw new NotFoundException("No Token matches the given query.");
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, "Deleted token.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> UpdateTokenNameAsync(ApiRequest request)
    {
        var token = request.RequiredString("token");
        var name = request.RequiredString("name");
        var parts = token.Split(':');
        var tokenKey = parts.Length == 3 ? parts[1] : token;
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                if (await UserStore.RenameTokenAsync(c, tx, request.Caller.Id, tokenKey, name, request.Aborted) == 0)
                    throw new NotFoundException("No Token matches the given query.");
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Modified consumer name of token to '{name}'.");
            },
            request.Aborted);
        return ApiResult.Accepted;
    }

    private static async Task<ApiResult> ListTokensAsync(ApiRequest request)
    {
        var tokens = await new UserStore(request.Service<Database>()).ListTokensAsync(request.Caller.Id, request.Aborted);
        return ApiResult.Json(tokens.Select(t => new TokenListItemDto(t.ConsumerName, $"{t.ConsumerKey}:{t.TokenKey}:")).ToList());
    }
}
