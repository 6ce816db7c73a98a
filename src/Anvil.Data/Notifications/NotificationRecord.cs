namespace Anvil.Data.Notifications;

/// <summary>
/// A message shown to users: to one user (<see cref="UserId"/>), to every non-admin
/// (<see cref="Users"/>), and/or to every admin (<see cref="Admins"/>). <see cref="Context"/> is a
/// JSON object whose values the message may reference.
/// </summary>
public sealed record NotificationRecord(
    long Id,
    string? Ident,
    long? UserId,
    bool Users,
    bool Admins,
    string Message,
    string Context,
    string Category,
    bool Dismissable)
{
    public static IReadOnlyList<string> Categories { get; } = ["error", "warning", "success", "info"];

    /// <summary>Whether the notification is addressed to this user (dismissed or not).</summary>
    public bool IsRelevantTo(long userId, bool isAdmin) => UserId == userId || (isAdmin ? Admins : Users);
}
