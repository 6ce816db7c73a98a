using System.Text;
using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Allocation;

/// <summary>One <c>[label:]size[(tag,...)]</c> item of the storage constraint.</summary>
/// <param name="Label">Empty when the item has no label (such matches are not reported).</param>
/// <param name="MinimumSize">Bytes: the size in GB (float) × 1000³, truncated.</param>
/// <param name="Tags">As written, including the pseudo-tag <c>partition</c>; empty when none.</param>
public sealed record StorageConstraint(string Label, long MinimumSize, IReadOnlyList<string> Tags)
{
    public const string PartitionTag = "partition";

    /// <summary>The pseudo-tag <c>partition</c> makes the item match a partition instead of a disk.</summary>
    public bool MatchesPartition => Tags.Contains(PartitionTag, StringComparer.Ordinal);

    /// <summary>The tags the device must carry (for partitions: without the first <c>partition</c>).</summary>
    public IReadOnlyList<string> RequiredTags { get; } = WithoutFirstPartitionTag(Tags);

    private static string[] WithoutFirstPartitionTag(IReadOnlyList<string> tags)
    {
        var list = tags.ToList();
        list.Remove(PartitionTag);
        return [.. list];
    }
}

/// <summary>
/// The parsed <c>storage</c> constraint. The first item applies to the device holding '/'; the
/// rest are tried most-specific (most tags) first, as MAAS does.
/// </summary>
public sealed partial class StorageConstraints
{
    private StorageConstraints(string text, IReadOnlyList<StorageConstraint> items)
    {
        Text = text;
        Items = items;
        var tail = items.Skip(1).ToList();
        // List.Sort is unstable; OrderByDescending keeps written order among equals, like Python's sort.
        MatchOrder = [items[0], .. tail.OrderByDescending(c => c.Tags.Count)];
    }

    public string Text { get; }

    /// <summary>In written order.</summary>
    public IReadOnlyList<StorageConstraint> Items { get; }

    /// <summary>Root item first, then the rest by tag count descending (stable).</summary>
    public IReadOnlyList<StorageConstraint> MatchOrder { get; }

    /// <summary>Parses a non-empty constraint; throws <see cref="ValidationException"/> on <c>storage</c>.</summary>
    public static StorageConstraints Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new ValidationException("storage", error);

    public static bool TryParse(string text, out StorageConstraints parsed, out string error)
    {
        parsed = null!;
        error = $"Malformed storage constraint, \"{text}\".";
        var matches = ItemRegex().Matches(text);
        if (matches.Count == 0)
            return false;
        var rendered = new StringBuilder(text.Length);
        var items = new List<StorageConstraint>(matches.Count);
        foreach (Match m in matches)
        {
            var label = m.Groups["label"].Value;
            var size = m.Groups["size"].Value;
            var tags = m.Groups["tags"].Value;
            if (rendered.Length > 0)
                rendered.Append(',');
            if (label.Length > 0)
                rendered.Append(label).Append(':');
            rendered.Append(size);
            if (tags.Length > 0)
                rendered.Append('(').Append(tags).Append(')');
            // MAAS would fail later on float("1.2.3"); refuse it up front with the same message.
            if (!NumberText.TryParseFloat(size, out var gigabytes) || size.Trim().Length != size.Length)
                return false;
            items.Add(new StorageConstraint(label, ToBytes(gigabytes), tags.Length == 0 ? [] : tags.Split(',')));
        }
        if (!string.Equals(rendered.ToString(), text, StringComparison.Ordinal))
            return false;
        parsed = new StorageConstraints(text, items);
        error = "";
        return true;
    }

    private static long ToBytes(double gigabytes)
    {
        var bytes = gigabytes * 1_000_000_000d;
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    [GeneratedRegex(@"(?:(?<label>[a-zA-Z0-9]+):)?(?<size>[0-9.]+)(?:\((?<tags>[^)]+)\))?", RegexOptions.CultureInvariant)]
    private static partial Regex ItemRegex();
}
