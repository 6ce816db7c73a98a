namespace Anvil.Client;

/// <summary>
/// One MAAS API call. GET and DELETE send <see cref="Parameters"/> in the query string; POST and
/// PUT put <see cref="Op"/> in the query string and the parameters and files in the body.
/// </summary>
public sealed class MaasRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="method">GET, POST, PUT or DELETE.</param>
    /// <param name="path">
    /// A path relative to the API base URL (<c>machines/</c>), an absolute path
    /// (<c>/MAAS/api/2.0/machines/</c>, as describe/ reports them), or an absolute URL.
    /// </param>
    public MaasRequest(HttpMethod method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        Method = method;
        Path = path;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The resource path or URL.</summary>
    public string Path { get; }

    /// <summary>The operation name sent as <c>?op=</c>; null or empty for the plain CRUD call.</summary>
    public string? Op { get; init; }

    /// <summary>Parameters in order; a key may repeat to send a list.</summary>
    public IList<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>Files to upload; only allowed with POST and PUT.</summary>
    public IList<MaasFile> Files { get; } = [];
}
