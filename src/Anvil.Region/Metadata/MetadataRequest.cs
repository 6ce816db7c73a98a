using Anvil.Data.Metadata;
using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Metadata;

/// <summary>One metadata request: its route, parsed body and, when it was signed, the node.</summary>
internal sealed class MetadataRequest(HttpContext http, MetadataRoute route, ApiBody body, NodeKey? node)
{
    public HttpContext Http { get; } = http;

    public MetadataRoute Route { get; } = route;

    public ApiBody Body { get; } = body;

    /// <summary>The signing node, or null for an anonymous request.</summary>
    public NodeKey? Node { get; } = node;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A form field from the body, else from the query string (MAAS's runner posts fields; <c>op</c> may be in either).</summary>
    public string? Field(string name) =>
        Body.Get(name) ?? (Http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null);
}
