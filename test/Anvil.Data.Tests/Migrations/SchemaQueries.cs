using Dapper;
using Npgsql;

namespace Anvil.Data.Tests.Migrations;

internal static class SchemaQueries
{
    public static async Task<List<int>> LoggedVersionsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>("SELECT version FROM migration_log ORDER BY id")];
    }

    public static async Task<List<(int Version, string Name)>> RecordedMigrationsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<(int, string)>("SELECT version, name FROM schema_migrations ORDER BY version")];
    }

    public static async Task<bool> TableExistsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });
    }

    /// <summary>Every table, column, type, nullability, default, index and constraint of the public schema, as text to compare.</summary>
    public static async Task<string> FingerprintAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var columns = await connection.QueryAsync<string>("""
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """);
        var indexes = await connection.QueryAsync<string>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
        var constraints = await connection.QueryAsync<string>("""
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1
            """);
        return string.Join('\n', columns.Concat(indexes).Concat(constraints));
    }
}
