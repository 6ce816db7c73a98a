using Dapper;
using Npgsql;

namespace Anvil.Data.Notifications;

/// <summary>Notifications and their per-user dismissals.</summary>
public sealed class NotificationStore(Database db)
{
    private const string Columns = "id, ident, user_id, users, admins, message, context::text AS context, category, dismissable";

    /// <summary>What the user should see: addressed to them (per <see cref="NotificationRecord.IsRelevantTo"/>) and not dismissed by them.</summary>
    public async Task<IReadOnlyList<NotificationRecord>> ListVisibleAsync(long userId, bool isAdmin, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<NotificationRecord>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM notification n
            WHERE (n.user_id = @userId OR (CASE WHEN @isAdmin THEN n.admins ELSE n.users END))
              AND NOT EXISTS (SELECT 1 FROM notification_dismissal d WHERE d.notification_id = n.id AND d.user_id = @userId)
            ORDER BY n.id
            """,
            new { userId, isAdmin },
            cancellationToken: ct)), ct)).AsList();

    public Task<NotificationRecord?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => FindAsync(c, null, id, ct), ct);

    public static Task<NotificationRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<NotificationRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM notification WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static Task<bool> IdentTakenAsync(NpgsqlConnection c, NpgsqlTransaction tx, string ident, long? exceptId, CancellationToken ct) =>
        c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM notification WHERE ident = @ident AND id IS DISTINCT FROM @exceptId)",
            new { ident, exceptId },
            tx,
            cancellationToken: ct));

    /// <summary>Inserts the notification (its id is assigned here); null when its ident is taken.</summary>
    public static Task<NotificationRecord?> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, NotificationRecord n, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<NotificationRecord>(new CommandDefinition(
            $"""
            INSERT INTO notification (ident, user_id, users, admins, message, context, category, dismissable)
            VALUES (@Ident, @UserId, @Users, @Admins, @Message, @Context::jsonb, @Category, @Dismissable)
            ON CONFLICT (ident) DO NOTHING RETURNING {Columns}
            """,
            n,
            tx,
            cancellationToken: ct));

    public static Task<NotificationRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, NotificationRecord n, CancellationToken ct) =>
        c.QuerySingleAsync<NotificationRecord>(new CommandDefinition(
            $"""
            UPDATE notification SET ident = @Ident, user_id = @UserId, users = @Users, admins = @Admins, message = @Message,
                context = @Context::jsonb, category = @Category, dismissable = @Dismissable, updated = now()
            WHERE id = @Id RETURNING {Columns}
            """,
            n,
            tx,
            cancellationToken: ct));

    public static Task<int> DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM notification WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Hides the notification from this user only; dismissing twice is harmless.</summary>
    public static Task<int> DismissAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, long userId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO notification_dismissal (notification_id, user_id) VALUES (@id, @userId) ON CONFLICT DO NOTHING",
            new { id, userId },
            tx,
            cancellationToken: ct));
}
