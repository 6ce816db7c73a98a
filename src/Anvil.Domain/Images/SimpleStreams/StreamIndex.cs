using System.Text.Json;

namespace Anvil.Domain.Images.SimpleStreams;

/// <summary>One entry of a simplestreams index: a products document and what it holds.</summary>
public sealed record StreamIndexEntry(string ContentId, string Path, string Datatype, string Format, IReadOnlyList<string> Products);

/// <summary>
/// A simplestreams index (<c>streams/v1/index.json</c>, <c>format: index:1.0</c>): the products
/// documents of a mirror by content id. Parsing never throws: a document that is not one answers
/// false with the reason; entries lacking a path are left out.
/// </summary>
public sealed record StreamIndex(IReadOnlyList<StreamIndexEntry> Entries)
{
    public const string Format = "index:1.0";

    /// <summary>The entries with image downloads in products:1.0 form, the ones an importer reads.</summary>
    public IEnumerable<StreamIndexEntry> ImageDownloads =>
        Entries.Where(e => e.Datatype == "image-downloads" && e.Format is "products:1.0" or "");

    public static bool TryParse(ReadOnlySpan<byte> utf8, out StreamIndex index, out string error)
    {
        index = new StreamIndex([]);
        if (!StreamJson.TryParse(utf8, out var document, out error))
            return false;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("the index is not a JSON object", out error);
            if (StreamJson.String(root, "format") is { } format && format != Format)
                return Fail($"the index has format '{format}', not {Format}", out error);
            if (!root.TryGetProperty("index", out var entries) || entries.ValueKind != JsonValueKind.Object)
                return Fail("the index has no 'index' object", out error);

            var list = new List<StreamIndexEntry>();
            foreach (var entry in entries.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object || StreamJson.String(entry.Value, "path") is not { Length: > 0 } path)
                    continue;
                var products = entry.Value.TryGetProperty("products", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                    : [];
                list.Add(new StreamIndexEntry(
                    entry.Name, path, StreamJson.String(entry.Value, "datatype") ?? "", StreamJson.String(entry.Value, "format") ?? "", products));
            }

            index = new StreamIndex(list);
            return true;
        }
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
