using Dapper;

namespace Anvil.Data.Postgres;

/// <summary>Dapper's process-wide settings Anvil's queries rely on.</summary>
public static class DapperConventions
{
    /// <summary>
    /// Maps snake_case columns (<c>system_id</c>) onto PascalCase members (<c>SystemId</c>).
    /// Dapper keeps this in a static, so it is set once per process; calling again is harmless.
    /// </summary>
    public static void Apply() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
