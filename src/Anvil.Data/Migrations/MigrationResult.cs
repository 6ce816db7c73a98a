namespace Anvil.Data.Migrations;

/// <summary>What one run did: the schema version before and after, and the migrations it applied.</summary>
public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<Migration> Applied);
