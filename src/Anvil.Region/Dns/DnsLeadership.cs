using Anvil.Data.Dns;
using Npgsql;

namespace Anvil.Region.Dns;

/// <summary>
/// The DNS lock: a session-level PostgreSQL advisory lock held on a connection of its own. While
/// that connection lives this region publishes; when the process dies the session ends and the
/// lock passes to the next region that asks.
/// </summary>
internal sealed class DnsLeadership(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private NpgsqlConnection? connection;

    public bool IsHeld { get; private set; }

    /// <summary>True when this region holds the lock after the call: it already did, or it just took it.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken ct)
    {
        try
        {
            if (IsHeld)
            {
                // A broken session has lost the lock even if nobody told us.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(ct);
                return true;
            }

            connection ??= await dataSource.OpenConnectionAsync(ct);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@class, @object)", connection);
            take.Parameters.AddWithValue("class", DnsPublishing.LockClass);
            take.Parameters.AddWithValue("object", DnsPublishing.LockObject);
            IsHeld = (bool)(await take.ExecuteScalarAsync(ct))!;
            return IsHeld;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            await DropAsync();
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await DropAsync();

    private async Task DropAsync()
    {
        IsHeld = false;
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }
}
