using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Builds the <c>describe/</c> document the maas CLI and python-libmaas build their commands from,
/// and its hash, sent on every API response as <c>X-MAAS-API-Hash</c>. Keys are written sorted.
/// </summary>
internal sealed class ApiDescriber
{
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = ApiJson.Options.Encoder, WriteIndented = false };

    private readonly ApiCatalog _catalog;
    private volatile Rendered? _last;

    public ApiDescriber(ApiCatalog catalog)
    {
        _catalog = catalog;
        Hash = ComputeHash(Describe(baseUri: null));
    }

    /// <summary>SHA-1 hex of the canonical form of the document, independent of the host it is served on.</summary>
    public string Hash { get; }

    /// <summary>The document with <c>uri</c>s made absolute against <paramref name="baseUri"/>.</summary>
    public byte[] DescribeUtf8(string baseUri)
    {
        // Clients mostly reach a region by one name; keeping only the last document bounds memory
        // whatever Host headers arrive.
        if (_last is { } last && last.BaseUri == baseUri)
            return last.Document;
        var document = Encoding.UTF8.GetBytes(Describe(baseUri).ToJsonString(WriteOptions));
        _last = new Rendered(baseUri, document);
        return document;
    }

    /// <summary>
    /// Title, description, then one <c>:param</c>/<c>:type</c> pair per declared parameter. The
    /// CLI only takes key=value arguments when <c>:param</c> follows the first paragraph.
    /// </summary>
    internal static string ActionDoc(ApiAction action)
    {
        var newline = action.Doc.IndexOf('\n');
        var title = (newline < 0 ? action.Doc : action.Doc[..newline]).Trim();
        var description = newline < 0 ? string.Empty : action.Doc[(newline + 1)..].Trim();
        var doc = new StringBuilder(title);
        if (description.Length > 0)
            doc.Append("\n\n").Append(description);
        foreach (var param in action.Params)
        {
            doc.Append("\n\n:param ").Append(param.Name).Append(": ")
                .Append(param.Required ? "Required." : "Optional.")
                .Append(' ').Append(param.Doc.Trim())
                .Append("\n:type ").Append(param.Name).Append(": ").Append(TypeName(param));
        }

        return doc.ToString();
    }

    private static string TypeName(ApiParam param) => param.Type switch
    {
        ApiParamType.Int => "Int",
        ApiParamType.Float => "Float",
        ApiParamType.Bool => "Boolean",
        ApiParamType.File => "File",
        _ => "String",
    };

    private JsonObject Describe(string? baseUri)
    {
        var resources = _catalog.Resources
            .Select(r => (r.Name, Auth: Visible(r.Auth), Anon: Visible(r.Anon)))
            .Where(r => r.Auth is not null || r.Anon is not null)
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

        var handlers = new JsonArray();
        foreach (var anon in resources.Select(r => r.Anon).OfType<ApiHandler>())
            handlers.Add(HandlerNode(anon, baseUri));
        foreach (var auth in resources.Select(r => r.Auth).OfType<ApiHandler>())
            handlers.Add(HandlerNode(auth, baseUri));

        var resourceNodes = new JsonArray();
        foreach (var resource in resources)
        {
            resourceNodes.Add(new JsonObject
            {
                ["anon"] = resource.Anon is null ? null : HandlerNode(resource.Anon, baseUri),
                ["auth"] = resource.Auth is null ? null : HandlerNode(resource.Auth, baseUri),
                ["name"] = resource.Name,
            });
        }

        var document = new JsonObject
        {
            ["doc"] = "MAAS API",
            ["handlers"] = handlers,
        };
        if (baseUri is not null)
            document["hash"] = Hash;
        document["resources"] = resourceNodes;
        return document;
    }

    private static ApiHandler? Visible(ApiHandler? handler) => handler is { IsHidden: false } ? handler : null;

    private static JsonObject HandlerNode(ApiHandler handler, string? baseUri)
    {
        var actions = new JsonArray();
        foreach (var action in handler.Actions.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Method, StringComparer.Ordinal))
        {
            actions.Add(new JsonObject
            {
                ["doc"] = ActionDoc(action),
                ["method"] = action.Method,
                ["name"] = action.Name,
                ["op"] = action.Op,
                ["restful"] = action.Restful,
            });
        }

        var path = ApiPaths.V2 + handler.PathTemplate;
        var node = new JsonObject
        {
            ["actions"] = actions,
            ["doc"] = handler.Doc,
            ["name"] = handler.Name,
            ["params"] = new JsonArray(handler.PathParams.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            ["path"] = path,
        };
        if (baseUri is not null)
            node["uri"] = baseUri + path;
        return node;
    }

    /// <summary>
    /// Objects become key-sorted [key, value] pairs and arrays are sorted, recursively, so the hash
    /// depends on content only, not on the order anything was declared or written in.
    /// </summary>
    private static string ComputeHash(JsonNode document)
    {
        var canonical = Canonical(document)!.ToJsonString(WriteOptions);
#pragma warning disable CA5350 // SHA-1 is MAAS's wire format for the API hash, a change detector, not a security control.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(canonical)));
#pragma warning restore CA5350
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonArray(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (JsonNode)new JsonArray(JsonValue.Create(p.Key), Canonical(p.Value)))
            .ToArray()),
        JsonArray array => new JsonArray(array
            .Select(Canonical)
            .OrderBy(n => n?.ToJsonString(WriteOptions) ?? "null", StringComparer.Ordinal)
            .ToArray()),
        _ => node?.DeepClone(),
    };

    private sealed record Rendered(string BaseUri, byte[] Document);
}
