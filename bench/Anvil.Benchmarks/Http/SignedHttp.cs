using System.Diagnostics;
using System.Net;
using System.Text;
using Anvil.Client;

namespace Anvil.Benchmarks.Http;

/// <summary>OAuth-signed GETs against the region API, timed from send to the last byte of the body.</summary>
internal sealed class SignedHttp(HttpClient http, Uri baseUrl, MaasApiKey key)
{
    private readonly OAuthSigner _signer = new(key);

    public static HttpClient CreateClient(int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>GET <c>/MAAS/api/2.0/{relative}</c> into <paramref name="body"/>; anything but 200 fails the benchmark.</summary>
    public async Task<TimeSpan> GetAsync(string relative, ResponseBuffer body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "MAAS/api/2.0/" + relative));
        request.Headers.Authorization = _signer.CreateHeader();
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using (var stream = await response.Content.ReadAsStreamAsync(ct))
            await body.ReadFromAsync(stream, response.Content.Headers.ContentLength, ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new BenchmarkFailedException($"GET {relative} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body.Memory.Span[..Math.Min(body.Length, 300)])}");
        return elapsed;
    }
}
