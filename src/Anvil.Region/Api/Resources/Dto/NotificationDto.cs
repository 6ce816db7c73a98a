using System.Text.Json.Nodes;
using Anvil.Data.Notifications;

namespace Anvil.Region.Api.Resources.Dto;

/// <summary>A notification; <c>user</c> is the addressed user rendered in full, or null.</summary>
internal sealed record NotificationDto(
    long Id,
    string? Ident,
    UserDto? User,
    bool Users,
    bool Admins,
    string Message,
    JsonNode? Context,
    string Category,
    bool Dismissable,
    string ResourceUri)
{
    public static NotificationDto From(NotificationRecord n, UserDto? user) => new(
        n.Id, n.Ident, user, n.Users, n.Admins, n.Message, JsonNode.Parse(n.Context), n.Category, n.Dismissable, ResourceUris.Item("notifications", n.Id));
}
