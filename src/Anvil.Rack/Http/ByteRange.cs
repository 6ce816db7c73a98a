using System.Globalization;

namespace Anvil.Rack.Http;

/// <summary>What a <c>Range</c> header asks of a file of known length (RFC 9110 §14).</summary>
internal readonly record struct ByteRange(ByteRangeKind Kind, long Start = 0, long Count = 0)
{
    /// <summary>
    /// A single <c>bytes=</c> range is honoured; no header, a malformed one or several ranges
    /// mean the whole file, which RFC 9110 allows a server to answer instead.
    /// </summary>
    public static ByteRange Parse(string? header, long length)
    {
        var whole = new ByteRange(ByteRangeKind.Whole, 0, length);
        if (string.IsNullOrWhiteSpace(header))
            return whole;
        var text = header.AsSpan().Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            return whole;
        text = text["bytes=".Length..].Trim();
        if (text.Contains(','))
            return whole;
        var dash = text.IndexOf('-');
        if (dash < 0)
            return whole;
        var first = text[..dash].Trim();
        var last = text[(dash + 1)..].Trim();

        if (first.IsEmpty)
        {
            // "-n": the last n bytes.
            if (!TryNumber(last, out var suffix))
                return whole;
            if (suffix == 0 || length == 0)
                return new ByteRange(ByteRangeKind.Unsatisfiable);
            var count = Math.Min(suffix, length);
            return new ByteRange(ByteRangeKind.Partial, length - count, count);
        }

        if (!TryNumber(first, out var start))
            return whole;
        var end = length - 1;
        if (!last.IsEmpty)
        {
            if (!TryNumber(last, out end) || end < start)
                return whole;
            end = Math.Min(end, length - 1);
        }

        return start >= length
            ? new ByteRange(ByteRangeKind.Unsatisfiable)
            : new ByteRange(ByteRangeKind.Partial, start, end - start + 1);
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

internal enum ByteRangeKind
{
    Whole,
    Partial,
    Unsatisfiable,
}
