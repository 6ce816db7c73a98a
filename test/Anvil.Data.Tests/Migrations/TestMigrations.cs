using Anvil.Data.Migrations;

namespace Anvil.Data.Tests.Migrations;

/// <summary>
/// A small schema history where each step depends on the ones before it, and every step logs
/// that it ran, so tests can see exactly which migrations executed and how often.
/// </summary>
internal static class TestMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "create_widgets", """
            CREATE TABLE migration_log (id serial PRIMARY KEY, version int NOT NULL);
            CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL);
            INSERT INTO migration_log (version) VALUES (1);
            """),
        new(2, "add_widget_colour", """
            ALTER TABLE widgets ADD COLUMN colour text;
            INSERT INTO migration_log (version) VALUES (2);
            """),
        new(3, "seed_first_widget", """
            INSERT INTO widgets (name, colour) VALUES ('first', 'red'), ('second', NULL);
            INSERT INTO migration_log (version) VALUES (3);
            """),
        new(4, "require_widget_colour", """
            UPDATE widgets SET colour = 'unknown' WHERE colour IS NULL;
            ALTER TABLE widgets ALTER COLUMN colour SET NOT NULL;
            INSERT INTO migration_log (version) VALUES (4);
            """),
        new(5, "create_gadgets", """
            CREATE TABLE gadgets (id serial PRIMARY KEY, widget_id int NOT NULL REFERENCES widgets (id), label text NOT NULL);
            CREATE INDEX gadgets_widget_id ON gadgets (widget_id);
            INSERT INTO migration_log (version) VALUES (5);
            """),
    ];

    public static IReadOnlyList<Migration> UpTo(int version) => [.. All.Where(m => m.Version <= version)];
}
