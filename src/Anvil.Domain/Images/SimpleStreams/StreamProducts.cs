using System.Text.Json;

namespace Anvil.Domain.Images.SimpleStreams;

/// <summary>A downloadable file of a product version: its item name, <c>ftype</c>, mirror path, sha256 and size.</summary>
public sealed record StreamItem(string Name, string FileType, string Path, string Sha256, long Size, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// One version of one product, with the properties it inherits (document → product → version):
/// <c>os</c>, <c>release</c>, <c>arch</c>, <c>subarch</c>, <c>label</c>, <c>subarches</c>, <c>kflavor</c>…
/// </summary>
public sealed record StreamImage(string Product, string Version, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<StreamItem> Items)
{
    public string Os => Get("os");

    public string Release => Get("release");

    public string Arch => Get("arch");

    /// <summary>The kernel flavour of the image (<c>generic</c> when the stream names none).</summary>
    public string Subarch => Get("subarch") is { Length: > 0 } s ? s : BootArchitecture.Generic;

    public string Label => Get("label");

    public string Get(string key) => Properties.GetValueOrDefault(key, "");
}

/// <summary>
/// A simplestreams products document (<c>format: products:1.0</c>, e.g.
/// <c>com.ubuntu.maas:stable:v3:download</c>). Parsing never throws: a document that is not one
/// answers false with the reason; an item without a valid ftype, path, sha256 or size is left out
/// and counted in <see cref="Skipped"/>.
/// </summary>
public sealed record StreamProducts(string ContentId, IReadOnlyList<StreamImage> Images, int Skipped)
{
    public const string Format = "products:1.0";

    /// <summary>Each product's newest version (versions sort as text: <c>20240301</c>, <c>20240301.1</c>).</summary>
    public IEnumerable<StreamImage> Latest =>
        Images.GroupBy(i => i.Product, StringComparer.Ordinal).Select(g => g.MaxBy(i => i.Version, StringComparer.Ordinal)!);

    public static bool TryParse(ReadOnlySpan<byte> utf8, out StreamProducts products, out string error)
    {
        products = new StreamProducts("", [], 0);
        if (!StreamJson.TryParse(utf8, out var document, out error))
            return false;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("the products document is not a JSON object", out error);
            if (StreamJson.String(root, "format") is { } format && format != Format)
                return Fail($"the products document has format '{format}', not {Format}", out error);
            if (!root.TryGetProperty("products", out var all) || all.ValueKind != JsonValueKind.Object)
                return Fail("the products document has no 'products' object", out error);

            var top = StreamJson.Scalars(root, null);
            top.Remove("format");
            top.Remove("updated");
            var images = new List<StreamImage>();
            var skipped = 0;
            foreach (var product in all.EnumerateObject())
            {
                if (product.Value.ValueKind != JsonValueKind.Object)
                {
                    skipped++;
                    continue;
                }

                var productProperties = StreamJson.Scalars(product.Value, top);
                if (!product.Value.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
                    continue;
                foreach (var version in versions.EnumerateObject())
                {
                    if (version.Value.ValueKind != JsonValueKind.Object)
                    {
                        skipped++;
                        continue;
                    }

                    var versionProperties = StreamJson.Scalars(version.Value, productProperties);
                    var items = new List<StreamItem>();
                    if (version.Value.TryGetProperty("items", out var itemsElement) && itemsElement.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var item in itemsElement.EnumerateObject())
                        {
                            if (ReadItem(item, versionProperties) is { } parsed)
                                items.Add(parsed);
                            else
                                skipped++;
                        }
                    }

                    images.Add(new StreamImage(product.Name, version.Name, versionProperties, items));
                }
            }

            products = new StreamProducts(StreamJson.String(root, "content_id") ?? "", images, skipped);
            return true;
        }
    }

    private static StreamItem? ReadItem(JsonProperty item, IReadOnlyDictionary<string, string> inherited)
    {
        if (item.Value.ValueKind != JsonValueKind.Object)
            return null;
        var properties = StreamJson.Scalars(item.Value, inherited);
        var ftype = properties.GetValueOrDefault("ftype", "");
        var path = properties.GetValueOrDefault("path", "");
        var sha256 = properties.GetValueOrDefault("sha256", "").ToLowerInvariant();
        if (ftype.Length == 0 || !IsRelativePath(path) || !Sha256Text.IsValid(sha256) || !StreamJson.TryLong(properties.GetValueOrDefault("size"), out var size))
            return null;
        return new StreamItem(item.Name, ftype, path, sha256, size, properties);
    }

    /// <summary>A mirror path must stay below the mirror: no scheme, no leading slash, no <c>..</c>.</summary>
    private static bool IsRelativePath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains("://", StringComparison.Ordinal) && !path.Contains('\\')
        && !path.Split('/').Any(s => s is ".." or ".");

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
