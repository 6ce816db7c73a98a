using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Testing.Images;

/// <summary>One file of a mirrored image: item name, ftype and content.</summary>
public sealed record MirrorFile(string Name, string FileType, byte[] Content)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>One product version of the mirror.</summary>
public sealed record MirrorImage(string Os, string Release, string Arch, string Subarch, string Label, string Version, IReadOnlyList<MirrorFile> Files);

/// <summary>
/// A small simplestreams mirror built by a test: an index and one products document
/// (<c>com.ubuntu.maas:stable:v3:download</c>) shaped like images.maas.io's, the image files, and —
/// when given a <see cref="TestGpg"/> — clearsigned <c>.sjson</c> twins. Served by a
/// <see cref="LoopbackFileServer"/> on a loopback port.
/// </summary>
public sealed class SimpleStreamsMirror : IAsyncDisposable
{
    public const string ProductsPath = "streams/v1/com.ubuntu.maas:stable:v3:download.json";

    private SimpleStreamsMirror(LoopbackFileServer server) => Server = server;

    public LoopbackFileServer Server { get; }

    public string Url => Server.BaseUri.ToString();

    public static async Task<SimpleStreamsMirror> StartAsync(IReadOnlyList<MirrorImage> images, TestGpg? signer = null)
    {
        var mirror = new SimpleStreamsMirror(new LoopbackFileServer());
        await mirror.PublishAsync(images, signer);
        return mirror;
    }

    /// <summary>Replaces the mirror's documents and files with these images.</summary>
    public async Task PublishAsync(IReadOnlyList<MirrorImage> images, TestGpg? signer = null)
    {
        var products = new JsonObject();
        foreach (var product in images.GroupBy(i => (i.Os, i.Release, i.Arch, i.Subarch)))
        {
            var versions = new JsonObject();
            foreach (var image in product)
            {
                var items = new JsonObject();
                foreach (var file in image.Files)
                {
                    var path = $"{image.Release}/{image.Arch}/{image.Version}/{image.Subarch}/{file.Name}";
                    Server.Files[path] = file.Content;
                    items[file.Name] = new JsonObject { ["ftype"] = file.FileType, ["path"] = path, ["sha256"] = file.Sha256, ["size"] = file.Content.Length };
                }

                versions[image.Version] = new JsonObject { ["label"] = image.Label, ["items"] = items };
            }

            var (os, release, arch, subarch) = product.Key;
            products[$"com.ubuntu.maas.stable:v3:boot:{release}:{arch}:{subarch}"] = new JsonObject
            {
                ["os"] = os,
                ["release"] = release,
                ["release_title"] = release,
                ["arch"] = arch,
                ["subarch"] = subarch,
                ["subarches"] = $"generic,{subarch}",
                ["kflavor"] = "generic",
                ["versions"] = versions,
            };
        }

        var productsDocument = new JsonObject
        {
            ["content_id"] = "com.ubuntu.maas:stable:v3:download",
            ["datatype"] = "image-downloads",
            ["format"] = "products:1.0",
            ["updated"] = "Wed, 06 Mar 2024 12:00:00 +0000",
            ["products"] = products,
        };
        var index = new JsonObject
        {
            ["format"] = "index:1.0",
            ["index"] = new JsonObject
            {
                ["com.ubuntu.maas:stable:v3:download"] = new JsonObject
                {
                    ["datatype"] = "image-downloads",
                    ["format"] = "products:1.0",
                    ["path"] = ProductsPath,
                    ["products"] = new JsonArray([.. products.Select(p => (JsonNode)JsonValue.Create(p.Key)!)]),
                },
            },
        };
        await AddDocumentAsync("streams/v1/index.json", index, signer);
        await AddDocumentAsync(ProductsPath, productsDocument, signer);
    }

    private async Task AddDocumentAsync(string path, JsonObject document, TestGpg? signer)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Server.Files[path] = bytes;
        if (signer is not null)
            Server.Files[path[..^".json".Length] + ".sjson"] = await signer.ClearsignAsync(bytes);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
