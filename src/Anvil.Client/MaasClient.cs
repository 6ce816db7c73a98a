using System.Net.Http.Headers;
using Anvil.Client.Description;

namespace Anvil.Client;

/// <summary>
/// An async client for the MAAS REST API 2.0 (served by MAAS or Anvil). Requests are signed with
/// OAuth PLAINTEXT when an API key is given. The convenience methods throw
/// <see cref="MaasApiException"/> on non-2xx; <see cref="SendAsync"/> returns every response.
/// </summary>
public sealed class MaasClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OAuthSigner? _signer;
    private readonly MaasClientOptions _options;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>.</summary>
    /// <param name="url">The server URL, e.g. <c>http://host:5240/MAAS</c>; normalised by <see cref="MaasApiUrl.Normalize(Uri)"/>.</param>
    /// <param name="apiKey">The API key, or null for anonymous calls.</param>
    /// <param name="options">Encoding, clock and user agent; defaults when null.</param>
    public MaasClient(Uri url, MaasApiKey? apiKey = null, MaasClientOptions? options = null)
        : this(new HttpClient(), url, apiKey, options)
    {
        _ownsHttp = true;
    }

    /// <summary>Creates a client on a caller-owned <see cref="HttpClient"/>, which is not disposed with it.</summary>
    /// <param name="httpClient">The HTTP client to send through.</param>
    /// <param name="url">The server URL; normalised by <see cref="MaasApiUrl.Normalize(Uri)"/>.</param>
    /// <param name="apiKey">The API key, or null for anonymous calls.</param>
    /// <param name="options">Encoding, clock and user agent; defaults when null.</param>
    public MaasClient(HttpClient httpClient, Uri url, MaasApiKey? apiKey = null, MaasClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(url);
        _http = httpClient;
        _options = options ?? new MaasClientOptions();
        ApiUrl = MaasApiUrl.Normalize(url);
        _signer = apiKey is null ? null : new OAuthSigner(apiKey, _options.TimeProvider);
    }

    /// <summary>The API base URL, ending in <c>/api/2.0/</c>.</summary>
    public Uri ApiUrl { get; }

    /// <summary>True when requests are signed with an API key.</summary>
    public bool IsAuthenticated => _signer is not null;

    /// <summary>Sends a request and returns the response whatever its status.</summary>
    /// <param name="request">The request to send.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response, body fully read.</returns>
    public Task<MaasResponse> SendAsync(MaasRequest request, CancellationToken cancellationToken = default) =>
        SendCoreAsync(request, sign: true, cancellationToken);

    /// <summary>GET with <paramref name="parameters"/> in the query string.</summary>
    /// <param name="path">Path relative to <see cref="ApiUrl"/>, absolute path, or URL.</param>
    /// <param name="op">The operation, or null for a plain read.</param>
    /// <param name="parameters">Query parameters; keys may repeat.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The 2xx response.</returns>
    /// <exception cref="MaasApiException">The server answered with a non-2xx status.</exception>
    public Task<MaasResponse> GetAsync(
        string path,
        string? op = null,
        IEnumerable<KeyValuePair<string, string>>? parameters = null,
        CancellationToken cancellationToken = default) =>
        SendEnsuringSuccessAsync(Build(HttpMethod.Get, path, op, parameters, null), cancellationToken);

    /// <summary>POST with <paramref name="op"/> in the query string and the data in the body.</summary>
    /// <param name="path">Path relative to <see cref="ApiUrl"/>, absolute path, or URL.</param>
    /// <param name="op">The operation, or null for a plain create.</param>
    /// <param name="parameters">Form fields; keys may repeat.</param>
    /// <param name="files">Files to upload.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The 2xx response.</returns>
    /// <exception cref="MaasApiException">The server answered with a non-2xx status.</exception>
    public Task<MaasResponse> PostAsync(
        string path,
        string? op = null,
        IEnumerable<KeyValuePair<string, string>>? parameters = null,
        IEnumerable<MaasFile>? files = null,
        CancellationToken cancellationToken = default) =>
        SendEnsuringSuccessAsync(Build(HttpMethod.Post, path, op, parameters, files), cancellationToken);

    /// <summary>PUT with the data in the body.</summary>
    /// <param name="path">Path relative to <see cref="ApiUrl"/>, absolute path, or URL.</param>
    /// <param name="op">The operation; MAAS PUT handlers take none, so normally null.</param>
    /// <param name="parameters">Form fields; keys may repeat.</param>
    /// <param name="files">Files to upload.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The 2xx response.</returns>
    /// <exception cref="MaasApiException">The server answered with a non-2xx status.</exception>
    public Task<MaasResponse> PutAsync(
        string path,
        string? op = null,
        IEnumerable<KeyValuePair<string, string>>? parameters = null,
        IEnumerable<MaasFile>? files = null,
        CancellationToken cancellationToken = default) =>
        SendEnsuringSuccessAsync(Build(HttpMethod.Put, path, op, parameters, files), cancellationToken);

    /// <summary>DELETE with <paramref name="parameters"/> in the query string.</summary>
    /// <param name="path">Path relative to <see cref="ApiUrl"/>, absolute path, or URL.</param>
    /// <param name="op">The operation; normally null.</param>
    /// <param name="parameters">Query parameters; keys may repeat.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The 2xx response (usually 204).</returns>
    /// <exception cref="MaasApiException">The server answered with a non-2xx status.</exception>
    public Task<MaasResponse> DeleteAsync(
        string path,
        string? op = null,
        IEnumerable<KeyValuePair<string, string>>? parameters = null,
        CancellationToken cancellationToken = default) =>
        SendEnsuringSuccessAsync(Build(HttpMethod.Delete, path, op, parameters, null), cancellationToken);

    /// <summary>Fetches <c>describe/</c>, unsigned, as the anonymous endpoint it is.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parsed description, with its JSON text.</returns>
    /// <exception cref="MaasApiException">Non-2xx status.</exception>
    /// <exception cref="InvalidDataException">The body is not labelled <c>application/json</c>.</exception>
    public async Task<MaasApiDescription> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var response = (await SendCoreAsync(new MaasRequest(HttpMethod.Get, "describe/"), sign: false, cancellationToken)).EnsureSuccess();
        if (!response.IsJson)
        {
            throw new InvalidDataException(
                $"{response.RequestUri} answered with content type '{response.ContentType}', not application/json; is this a MAAS API URL?");
        }

        return MaasApiDescription.Parse(response.BodyText);
    }

    /// <summary>Asks who the API key belongs to (<c>GET users/?op=whoami</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user.</returns>
    /// <exception cref="MaasApiException">Non-2xx status; 401 when the key is rejected.</exception>
    public async Task<MaasUser> WhoAmIAsync(CancellationToken cancellationToken = default)
    {
        var response = await GetAsync("users/", "whoami", cancellationToken: cancellationToken);
        return response.ReadJson<MaasUser>() ?? throw new InvalidDataException("users/?op=whoami returned JSON null.");
    }

    /// <summary>Disposes the <see cref="HttpClient"/> if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal Uri BuildUri(MaasRequest request)
    {
        var target = new Uri(ApiUrl, request.Path);
        var query = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(request.Op))
        {
            query.Add(new("op", request.Op));
        }

        if (!CarriesBody(request.Method))
        {
            query.AddRange(request.Parameters);
        }

        if (query.Count == 0)
        {
            return target;
        }

        var builder = new UriBuilder(target);
        var existing = builder.Query.TrimStart('?');
        var added = string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        builder.Query = existing.Length == 0 ? added : existing + "&" + added;
        return builder.Uri;
    }

    private static bool CarriesBody(HttpMethod method) => method == HttpMethod.Post || method == HttpMethod.Put;

    private static MaasRequest Build(
        HttpMethod method,
        string path,
        string? op,
        IEnumerable<KeyValuePair<string, string>>? parameters,
        IEnumerable<MaasFile>? files)
    {
        var request = new MaasRequest(method, path) { Op = op };
        foreach (var parameter in parameters ?? [])
        {
            request.Parameters.Add(parameter);
        }

        foreach (var file in files ?? [])
        {
            request.Files.Add(file);
        }

        return request;
    }

    private async Task<MaasResponse> SendEnsuringSuccessAsync(MaasRequest request, CancellationToken cancellationToken) =>
        (await SendCoreAsync(request, sign: true, cancellationToken)).EnsureSuccess();

    private async Task<MaasResponse> SendCoreAsync(MaasRequest request, bool sign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Files.Count > 0 && !CarriesBody(request.Method))
        {
            throw new ArgumentException($"Files can only be sent with POST or PUT, not {request.Method}.", nameof(request));
        }

        var uri = BuildUri(request);
        using var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.UserAgent.ParseAdd(_options.UserAgent);
        if (sign && _signer is not null)
        {
            message.Headers.Authorization = _signer.CreateHeader();
        }

        if (CarriesBody(request.Method))
        {
            message.Content = MaasRequestContent.Create(request, _options.BodyEncoding);
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = values.ToArray();
        }

        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var types) ? string.Join(", ", types) : null;
        return new MaasResponse(request.Method, uri, response.StatusCode, contentType, headers, body);
    }
}
