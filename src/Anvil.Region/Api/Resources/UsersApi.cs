using System.Text.RegularExpressions;
using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>MAAS's <c>users/</c> and <c>users/{username}/</c> resources.</summary>
internal static partial class UsersApi
{
    private const int MaxUsernameLength = 150;

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("UsersHandler", "users/", "The users of this region.")
            .Read(ListAsync, "List users.\n\nEvery user, ordered by username.")
            .Get("whoami", WhoAmIAsync, "Describe the requesting user.\n\nThe user whose credentials signed the request.")
            .Create(
                CreateAsync,
                """
                Create a user.

                Only admins may create users; is_superuser makes the new user an admin too.
                """,
                ApiAccess.Admin,
                ApiParam.String("username", "The new user's login name: letters, digits and @ . + - _ only.", required: true),
                ApiParam.String("email", "The new user's email address; no two users share one.", required: true),
                ApiParam.String("password", "The new user's password.", required: true),
                ApiParam.Bool("is_superuser", "Whether the new user is an admin (0 or 1).", required: true),
                ApiError.BadRequest("A field is missing or invalid, or the username or email is taken."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("UserHandler", "users/{username}/", "One user, by username.")
            .Read(ReadAsync, "Read a user.\n\nThe user's name, email and whether they are an admin.", ApiError.NotFound("No such user."))
            .Delete(
                DeleteAsync,
                """
                Delete a user.

                A user who still owns machines can only be deleted together with a transfer of those
                machines to another user (transfer_resources_to). The user's API tokens, SSH keys and
                notifications go with them; their events stay, still showing their name.
                """,
                ApiAccess.Admin,
                ApiParam.String("transfer_resources_to", "Username of the user who takes over the deleted user's machines."),
                ApiError.NotFound("No such user."),
                ApiError.BadRequest("The user owns machines and no (valid) transfer target was given, or the caller is deleting themself."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var users = await new UserStore(request.Service<Database>()).ListAsync(request.Aborted);
        return ApiResult.Json(users.Select(UserDto.From).ToList());
    }

    private static async Task<ApiResult> WhoAmIAsync(ApiRequest request)
    {
        var user = await new UserStore(request.Service<Database>()).FindAsync(request.Caller.Id, request.Aborted);
        return ApiResult.Json(user is null ? UserDto.From(request.Caller) : UserDto.From(user));
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var user = await new UserStore(request.Service<Database>()).FindAsync(request.Path("username"), request.Aborted) ?? throw NotFound();
        return ApiResult.Json(UserDto.From(user));
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var username = request.RequiredString("username");
        var email = request.RequiredString("email").Trim();
        var password = request.RequiredString("password");
        var isSuperuser = request.Bool("is_superuser") ?? false;
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (username.Length > MaxUsernameLength)
            errors["username"] = [$"Ensure this value has at most {MaxUsernameLength} characters (it has {username.Length})."];
        else if (!UsernameRegex().IsMatch(username))
            errors["username"] = ["Enter a valid username: letters, digits and @ . + - _ only."];
        if (!EmailRegex().IsMatch(email))
            errors["email"] = ["Enter a valid email address."];
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                if (await UserStore.EmailTakenAsync(c, tx, email, request.Aborted))
                    throw new ValidationException("email", "User with this email address already exists.");
                var user = await UserStore.CreateAsync(c, tx, username, email, password, isSuperuser, request.Aborted)
                    ?? throw new ValidationException("username", "A user with that username already exists.");
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Created {Kind(user)} '{user.Username}'.");
                return user;
            },
            request.Aborted);
        return ApiResult.Json(UserDto.From(created));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var username = request.Path("username");
        var transferTo = request.String("transfer_resources_to");
        if (username == request.Caller.Username)
            throw new BadRequestException("You cannot delete your own account.");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var users = new UserStore(request.Service<Database>());
                var user = await users.FindAsync(c, tx, username, ct) ?? throw NotFound();
                var owned = await UserStore.OwnedNodeCountAsync(c, tx, user.Id, ct);
                if (!string.IsNullOrEmpty(transferTo))
                {
                    var target = await users.FindAsync(c, tx, transferTo, ct);
                    if (target is null || target.Id == user.Id)
                        throw new ValidationException("transfer_resources_to", $"'{transferTo}' is not another existing user.");
                    if (owned > 0)
                    {
                        await UserStore.TransferNodesAsync(c, tx, user.Id, target.Id, ct);
                        await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Transferred {owned} node(s) of '{user.Username}' to '{target.Username}'.");
                    }
                }
                else if (owned > 0)
                {
                    throw new BadRequestException(
                        $"User '{user.Username}' still owns {owned} node(s); release them or give transfer_resources_to=<username> to hand them over.");
                }

                await UserStore.DeleteAsync(c, tx, user.Id, ct);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.AUTHORISATION, $"Deleted {Kind(user)} '{user.Username}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static string Kind(UserRecord user) => user.IsSuperuser ? "admin" : "user";

    private static NotFoundException NotFound() => new("No User matches the given query.");

    [GeneratedRegex(@"^[\w.@+-]+$")]
    private static partial Regex UsernameRegex();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailRegex();
}
