namespace Anvil.Data.Migrations;

/// <summary>
/// One schema change. Versions count up from 1; the SQL runs inside the runner's transaction,
/// so it must not use statements PostgreSQL forbids there (e.g. CREATE INDEX CONCURRENTLY).
/// </summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public override string ToString() => $"{Version:D4}_{Name}";
}
