using System.Data;
using Dapper;

namespace Anvil.Data.Postgres;

/// <summary>Dapper's process-wide settings Anvil's queries rely on.</summary>
public static class DapperConventions
{
    /// <summary>
    /// Maps snake_case columns (<c>system_id</c>) onto PascalCase members (<c>SystemId</c>), and
    /// <c>timestamptz</c> (which Npgsql reads as a UTC <see cref="DateTime"/>) onto
    /// <see cref="DateTimeOffset"/> members. Dapper keeps these in statics, so they are set once per
    /// process; calling again is harmless.
    /// </summary>
    public static void Apply()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    private sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            _ => throw new DataException($"Cannot read {value.GetType()} as a timestamp."),
        };

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
    }
}
