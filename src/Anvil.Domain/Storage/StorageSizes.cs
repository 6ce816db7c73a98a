using System.Globalization;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Storage;

/// <summary>
/// Sizes as MAAS's storage forms take them: plain bytes, a decimal K/M/G/T/P/E suffix (×1000ⁿ,
/// as MAAS's converters do) or, where a whole is known, a percentage <c>NN%</c> of it.
/// </summary>
public static class StorageSizes
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;
    public const long TiB = 1024 * GiB;

    /// <summary>Parses <paramref name="text"/>; null when it is not a size (a percentage needs <paramref name="whole"/>).</summary>
    public static long? TryParse(string? text, long? whole = null)
    {
        if (text is null)
            return null;
        var value = text.Trim();
        if (value.Length == 0)
            return null;
        if (value.EndsWith('%'))
        {
            if (whole is null || !decimal.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent > 100)
                return null;
            return (long)decimal.Floor(whole.Value * percent / 100m);
        }

        var multiplier = char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1_000m,
            'M' => 1_000_000m,
            'G' => 1_000_000_000m,
            'T' => 1_000_000_000_000m,
            'P' => 1_000_000_000_000_000m,
            'E' => 1_000_000_000_000_000_000m,
            _ => 1m,
        };
        var number = multiplier == 1m ? value : value[..^1];
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            return null;
        var bytes = decimal.Floor(amount * multiplier);
        return bytes > long.MaxValue ? null : (long)bytes;
    }

    /// <summary>Like <see cref="TryParse"/>, but a field error for <paramref name="field"/> when the text is not a size.</summary>
    public static long? Parse(string field, string? text, long? whole = null)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return TryParse(text, whole) ?? throw new ValidationException(field, whole is null && text.Trim().EndsWith('%')
            ? $"'{text}' is not a valid size; a percentage is not accepted here."
            : $"'{text}' is not a valid size. Use bytes, a K/M/G/T/P/E suffix or a percentage (e.g. 50%).");
    }

    /// <summary>MAAS's <c>human_readable_bytes</c>: decimal units with one decimal, e.g. <c>8.0 GB</c>.</summary>
    public static string Human(long bytes)
    {
        string[] units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0 ? $"{bytes} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    public static long AlignDown(long size, long alignment) => size <= 0 ? 0 : size / alignment * alignment;
}
