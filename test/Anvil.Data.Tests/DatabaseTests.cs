using Anvil.Testing.Postgres;
using Dapper;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests;

public sealed class DatabaseTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InTransactionAsync_retries_the_loser_of_a_serialization_failure_and_commits_each_transaction_once()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using (var setup = await database.DataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE duty (who text NOT NULL, seen int NOT NULL)");
        }

        var a = new Contender("a");
        var b = new Contender("b");

        // Both read the table, then both insert: write skew that SERIALIZABLE must refuse for one
        // of them. The loser's retry waits for the winner to finish, so it conflicts no more.
        async Task<int> TakeDuty(Contender me, Contender other)
        {
            try
            {
                return await database.Database.InTransactionAsync(
                    async (connection, transaction) =>
                    {
                        var attempt = Interlocked.Increment(ref me.Attempts);
                        if (attempt > 1)
                        {
                            await other.Finished.Task.WaitAsync(Patience);
                        }

                        await connection.ExecuteAsync("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", transaction: transaction);
                        var seen = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM duty", transaction: transaction);
                        if (attempt == 1)
                        {
                            me.HasRead.SetResult();
                            await other.HasRead.Task.WaitAsync(Patience);
                        }

                        await connection.ExecuteAsync("INSERT INTO duty (who, seen) VALUES (@who, @seen)", new { who = me.Name, seen }, transaction);
                        return seen;
                    },
                    Ct);
            }
            finally
            {
                me.Finished.SetResult();
            }
        }

        var seenCounts = await Task.WhenAll(Task.Run(() => TakeDuty(a, b)), Task.Run(() => TakeDuty(b, a))).WaitAsync(Patience);

        (a.Attempts + b.Attempts).ShouldBe(3);
        seenCounts.Order().ShouldBe([0, 1]);
        await using var check = await database.DataSource.OpenConnectionAsync();
        var rows = (await check.QueryAsync<(string Who, int Seen)>("SELECT who, seen FROM duty ORDER BY seen")).ToList();
        rows.Select(r => r.Seen).ShouldBe([0, 1]);
        rows.Select(r => r.Who).Order().ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task InTransactionAsync_retries_a_serialization_failure_reported_by_commit()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await CreateNotesFailingCommitsAsync(database, failures: 1);
        var attempts = 0;

        await database.Database.InTransactionAsync(
            async (connection, transaction) =>
            {
                attempts++;
                await connection.ExecuteAsync("INSERT INTO notes VALUES ('once')", transaction: transaction);
            },
            Ct);

        attempts.ShouldBe(2);
        (await database.Database.ReadAsync(c => c.QueryAsync<string>("SELECT text FROM notes"), Ct)).ShouldBe(["once"]);
    }

    [Fact]
    public async Task InTransactionAsync_gives_up_after_five_serialization_failures()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await CreateNotesFailingCommitsAsync(database, failures: 100);
        var attempts = 0;

        var error = await Should.ThrowAsync<PostgresException>(() => database.Database.InTransactionAsync(
            async (connection, transaction) =>
            {
                attempts++;
                await connection.ExecuteAsync("INSERT INTO notes VALUES ('never')", transaction: transaction);
            },
            Ct));

        error.SqlState.ShouldBe(PostgresErrorCodes.SerializationFailure);
        attempts.ShouldBe(5);
        (await database.Database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM notes"), Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task InTransactionAsync_does_not_retry_other_database_errors()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var attempts = 0;

        var error = await Should.ThrowAsync<PostgresException>(() => database.Database.InTransactionAsync(
            async (connection, transaction) =>
            {
                attempts++;
                await connection.ExecuteAsync("SELECT * FROM no_such_table", transaction: transaction);
            },
            Ct));

        error.SqlState.ShouldBe(PostgresErrorCodes.UndefinedTable);
        attempts.ShouldBe(1);
    }

    [Fact]
    public async Task InTransactionAsync_rolls_back_when_the_work_throws()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using (var setup = await database.DataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE notes (text text NOT NULL)");
        }

        await Should.ThrowAsync<InvalidOperationException>(() => database.Database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync("INSERT INTO notes VALUES ('lost')", transaction: transaction);
                throw new InvalidOperationException("changed my mind");
            },
            Ct));

        var count = await database.Database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM notes"), Ct);
        count.ShouldBe(0);
    }

    [Fact]
    public async Task InTransactionAsync_commits_the_work_and_returns_its_result()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using (var setup = await database.DataSource.OpenConnectionAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)");
        }

        var id = await database.Database.InTransactionAsync(
            (connection, transaction) => connection.ExecuteScalarAsync<int>("INSERT INTO notes (text) VALUES ('kept') RETURNING id", transaction: transaction),
            Ct);

        var text = await database.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT text FROM notes WHERE id = @id", new { id }), Ct);
        text.ShouldBe("kept");
    }

    private sealed class Contender(string name)
    {
        public string Name { get; } = name;

        public int Attempts;

        public TaskCompletionSource HasRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task CreateNotesFailingCommitsAsync(TestDatabase database, int failures)
    {
        // A deferred constraint trigger runs at COMMIT, so the server reports the failure there;
        // the sequence counts attempts across the rolled-back transactions.
        await using var setup = await database.DataSource.OpenConnectionAsync();
        await setup.ExecuteAsync($$"""
            CREATE TABLE notes (text text NOT NULL);
            CREATE SEQUENCE commit_attempts;
            CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('commit_attempts') <= {{failures}} THEN
                    RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON notes
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit();
            """);
    }
}
