using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Notifications;
using Anvil.Data.Users;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// MAAS's <c>notifications/</c> and <c>notifications/{id}/</c> resources. A caller sees the
/// notifications addressed to them (to them personally, to all users if they are not an admin,
/// to all admins if they are) that they have not dismissed; only admins create and change them.
/// </summary>
internal static class NotificationsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        ApiSpecItem[] fields =
        [
            ApiParam.String("ident", "A unique identifier, so that whatever raised the notification can find it again."),
            ApiParam.Int("user", "The id of the one user the notification is for."),
            ApiParam.Bool("users", "Whether every non-admin user sees it."),
            ApiParam.Bool("admins", "Whether every admin sees it."),
            ApiParam.String("context", "A JSON object whose values the message may reference."),
            ApiParam.String("category", "One of error, warning, success or info (the default)."),
            ApiParam.Bool("dismissable", "Whether users may dismiss it (true by default)."),
        ];

        api.Handler("NotificationsHandler", "notifications/", "Notifications shown to users and admins.")
            .Read(ListAsync, "List notifications.\n\nThose addressed to the requesting user that they have not dismissed.")
            .Create(
                CreateAsync,
                """
                Create a notification.

                Address it to one user, to all users, to all admins, or a mix; a notification addressed to nobody
                is stored but shown to no one.
                """,
                ApiAccess.Admin,
                [
                    ApiParam.String("message", "The text of the notification (may contain HTML).", required: true),
                    .. fields,
                    ApiError.BadRequest("A field is missing or invalid."),
                    ApiError.Forbidden("The caller is not an admin."),
                ]);

        api.Handler("NotificationHandler", "notifications/{id}/", "One notification, by id.")
            .Read(
                ReadAsync,
                "Read a notification.\n\nAdmins may read any notification; other users those addressed to them.",
                ApiError.NotFound("No such notification."),
                ApiError.Forbidden("The notification is not addressed to the caller."))
            .Update(
                UpdateAsync,
                "Update a notification.\n\nOnly the given fields change.",
                ApiAccess.Admin,
                [
                    ApiParam.String("message", "The text of the notification."),
                    .. fields,
                    ApiError.NotFound("No such notification."),
                    ApiError.BadRequest("A field is invalid."),
                    ApiError.Forbidden("The caller is not an admin."),
                ])
            .Delete(
                DeleteAsync,
                "Delete a notification.\n\nIt disappears for everyone.",
                ApiAccess.Admin,
                ApiError.NotFound("No such notification."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "dismiss",
                DismissAsync,
                "Dismiss a notification.\n\nIt is hidden from the requesting user only; dismissing twice is harmless.",
                ApiError.NotFound("No such notification."),
                ApiError.Forbidden("The notification is not addressed to the caller."),
                ApiError.Conflict("The notification cannot be dismissed."));
    }

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var caller = request.Caller;
        var notifications = await new NotificationStore(request.Service<Database>()).ListVisibleAsync(caller.Id, caller.IsSuperuser, request.Aborted);
        return ApiResult.Json(await RenderAsync(request, notifications));
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest request)
    {
        var notification = await FindVisibleAsync(request);
        return ApiResult.Json((await RenderAsync(request, [notification]))[0]);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var draft = Apply(request, new NotificationRecord(0, null, null, false, false, request.RequiredString("message"), "{}", "info", true));
        var created = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await CheckUserAsync(request, draft.UserId);
                var inserted = await NotificationStore.InsertAsync(c, tx, draft, request.Aborted) ?? throw IdentTaken();
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Created notification {inserted.Id}.");
                return inserted;
            },
            request.Aborted);
        return ApiResult.Json((await RenderAsync(request, [created]))[0]);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var id = NotificationId(request);
        if (request.Has("message") && string.IsNullOrEmpty(request.String("message")))
            throw new ValidationException("message", "This field is required.");
        var updated = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var ct = request.Aborted;
                var current = await NotificationStore.FindAsync(c, tx, id, ct) ?? throw NotFound();
                var changed = Apply(request, current with { Message = request.String("message") is { Length: > 0 } m ? m : current.Message });
                if (changed.UserId != current.UserId)
                    await CheckUserAsync(request, changed.UserId);
                if (changed.Ident is not null && await NotificationStore.IdentTakenAsync(c, tx, changed.Ident, id, ct))
                    throw IdentTaken();
                var saved = await NotificationStore.UpdateAsync(c, tx, changed, ct);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Updated notification {saved.Id}.");
                return saved;
            },
            request.Aborted);
        return ApiResult.Json((await RenderAsync(request, [updated]))[0]);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = NotificationId(request);
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                if (await NotificationStore.DeleteAsync(c, tx, id, request.Aborted) == 0)
                    throw NotFound();
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Deleted notification {id}.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    /// <summary>Dismissal is the user's own view state, not a change to the notification, so it is not audited.</summary>
    private static async Task<ApiResult> DismissAsync(ApiRequest request)
    {
        var notification = await FindVisibleAsync(request, adminsSeeAll: false);
        if (!notification.Dismissable)
            throw new ConflictException("This notification cannot be dismissed.");
        await request.Service<Database>().InTransactionAsync(
            (c, tx) => NotificationStore.DismissAsync(c, tx, notification.Id, request.Caller.Id, request.Aborted),
            request.Aborted);
        return ApiResult.Json(null);
    }

    /// <summary>The form's fields laid over <paramref name="current"/>; absent fields keep their value.</summary>
    private static NotificationRecord Apply(ApiRequest request, NotificationRecord current)
    {
        var category = request.String("category") is { Length: > 0 } cat ? cat : current.Category;
        if (!NotificationRecord.Categories.Contains(category))
            throw new ValidationException("category", $"Select a valid choice. {category} is not one of the available choices ({string.Join(", ", NotificationRecord.Categories)}).");
        return current with
        {
            Ident = request.Has("ident") ? (request.String("ident") is { Length: > 0 } ident ? ident : null) : current.Ident,
            UserId = request.Has("user") ? request.Int("user") : current.UserId,
            Users = request.Bool("users") ?? current.Users,
            Admins = request.Bool("admins") ?? current.Admins,
            Context = request.Has("context") ? ParseContext(request.String("context")) : current.Context,
            Category = category,
            Dismissable = request.Bool("dismissable") ?? current.Dismissable,
        };
    }

    private static string ParseContext(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "{}";
        try
        {
            return JsonNode.Parse(text) is JsonObject o
                ? o.ToJsonString()
                : throw new ValidationException("context", "The context must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new ValidationException("context", "The context is not valid JSON.");
        }
    }

    private static async Task CheckUserAsync(ApiRequest request, long? userId)
    {
        if (userId is { } id && await new UserStore(request.Service<Database>()).FindAsync(id, request.Aborted) is null)
            throw new ValidationException("user", $"Select a valid choice. There is no user with id {id}.");
    }

    private static async Task<NotificationRecord> FindVisibleAsync(ApiRequest request, bool adminsSeeAll = true)
    {
        var notification = await new NotificationStore(request.Service<Database>()).FindAsync(NotificationId(request), request.Aborted) ?? throw NotFound();
        var caller = request.Caller;
        if (!(adminsSeeAll && caller.IsSuperuser) && !notification.IsRelevantTo(caller.Id, caller.IsSuperuser))
            throw new ForbiddenException("This notification is not addressed to you.");
        return notification;
    }

    private static async Task<IReadOnlyList<NotificationDto>> RenderAsync(ApiRequest request, IReadOnlyList<NotificationRecord> notifications)
    {
        var users = new UserStore(request.Service<Database>());
        var byId = new Dictionary<long, UserDto?>();
        foreach (var userId in notifications.Select(n => n.UserId).OfType<long>().Distinct())
            byId[userId] = await users.FindAsync(userId, request.Aborted) is { } u ? UserDto.From(u) : null;
        return notifications.Select(n => NotificationDto.From(n, n.UserId is { } id ? byId[id] : null)).ToList();
    }

    private static long NotificationId(ApiRequest request) => long.TryParse(request.Path("id"), out var id) ? id : throw NotFound();

    private static ValidationException IdentTaken() => new("ident", "Notification with this Ident already exists.");

    private static NotFoundException NotFound() => new("No Notification matches the given query.");
}
