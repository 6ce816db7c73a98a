using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Migrations;

/// <summary>
/// Every foreign key of the shipped schema has an index that starts with its columns. Without one,
/// each delete or key update of the referenced row scans the referencing table under its lock, and
/// per-machine lookups by the key scan the whole table (the 1,000-machine fleet found node_device).
/// </summary>
public sealed class ForeignKeyIndexTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    [Fact]
    public async Task Every_foreign_key_is_the_leading_columns_of_an_index()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        // conkey as the leading columns of some index's indkey (both as int2 lists, in order).
        var unindexed = (await connection.QueryAsync<string>("""
            SELECT c.conrelid::regclass || ' (' ||
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                    FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) ||
                   ') → ' || c.confrelid::regclass
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
              AND NOT EXISTS (
                  SELECT 1 FROM pg_index i
                  WHERE i.indrelid = c.conrelid
                    AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)
            ORDER BY 1
            """)).ToList();

        unindexed.ShouldBeEmpty(string.Join('\n', unindexed));
    }
}
