using Anvil.Domain.Network;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

/// <summary>
/// IP ranges. Callers validate a range against its subnet first (<see cref="IpRangeRules"/>);
/// the database's exclusion constraint still refuses overlapping ranges that a concurrent
/// writer slipped in, and that refusal becomes the same field error.
/// </summary>
public static class IpRangeStore
{
    private const string Select = "SELECT id, subnet_id, type, host(start_ip) AS start_ip, host(end_ip) AS end_ip, comment, user_id FROM iprange";

    public static async Task<IReadOnlyList<IpRangeRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<IpRangeRecord>(new CommandDefinition($"{Select} ORDER BY id", transaction: tx, cancellationToken: ct))).AsList();

    public static Task<IpRangeRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<IpRangeRecord>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<IpRangeRecord> CreateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long subnetId, string type, string startIp, string endIp, string comment, long? userId, CancellationToken ct)
    {
        var id = await RefusingOverlapsAsync(type, () => c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO iprange (subnet_id, type, start_ip, end_ip, comment, user_id)
            VALUES (@subnetId, @type, @startIp::inet, @endIp::inet, @comment, @userId)
            RETURNING id
            """,
            new { subnetId, type, startIp, endIp, comment, userId },
            tx,
            cancellationToken: ct)));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<IpRangeRecord> UpdateAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long id, string type, string startIp, string endIp, string comment, CancellationToken ct)
    {
        await RefusingOverlapsAsync(type, () => c.ExecuteAsync(new CommandDefinition(
            "UPDATE iprange SET type = @type, start_ip = @startIp::inet, end_ip = @endIp::inet, comment = @comment, updated = now() WHERE id = @id",
            new { id, type, startIp, endIp, comment },
            tx,
            cancellationToken: ct)));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM iprange WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private static async Task<T> RefusingOverlapsAsync<T>(string type, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            throw IpRangeRules.Both(IpRangeRules.ConflictMessage(type));
        }
    }
}
