using System.Data;
using Dapper;

namespace Anvil.Data.Postgres;

/// <summary>Dapper's process-wide settings Anvil's queries rely on.</summary>
public static class DapperConventions
{
    /// <summary>
    /// Maps snake_case columns (<c>system_id</c>) onto PascalCase members (<c>SystemId</c>) and
    /// <c>timestamptz</c> values onto <see cref="DateTimeOffset"/> members. Dapper keeps this in a static, so it is set once per process; calling again is harmless.
    /// </summary>
    public static void Apply()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    /// <summary>
    /// Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/>, which Dapper will not put into
    /// a <see cref="DateTimeOffset"/> constructor parameter or property on its own.
    /// </summary>
    private sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            _ => throw new InvalidCastException($"Cannot read a {value.GetType().Name} as a DateTimeOffset."),
        };

        // Npgsql writes only UTC offsets to timestamptz.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
    }
}
