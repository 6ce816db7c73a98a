using System.Globalization;

namespace Anvil.Region.Api.Scripts;

/// <summary>How MAAS's script handlers write times: RFC 2822 (Python's email.utils.format_datetime of a naive UTC time).</summary>
internal static class ScriptDates
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '-0000'", CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? value) => value is { } v ? Format(v) : null;
}
