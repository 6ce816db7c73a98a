using Npgsql;

namespace Anvil.Data;

/// <summary>
/// The region's handle on PostgreSQL. Every state change runs through
/// <see cref="InTransactionAsync{T}"/>: one transaction, retried whole when PostgreSQL reports a
/// serialization failure or deadlock, so concurrent requests never lose an update.
/// </summary>
public sealed class Database(NpgsqlDataSource dataSource)
{
    private const int MaxAttempts = 5;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(work, cancellationToken);
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    public Task InTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync<bool>(
            async (c, t) =>
            {
                await work(c, t);
                return true;
            },
            cancellationToken);

    /// <summary>A read on its own connection, outside any explicit transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await read(connection);
    }

    private async Task<T> RunOnceAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        // Disposing rolls back whatever was not committed. No explicit rollback: when COMMIT
        // itself reports the failure, the transaction is already over and may not be rolled back.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}
