using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Anvil.Rack.Http;

/// <summary>
/// Forwards <c>/MAAS/metadata/…</c> and <c>/MAAS/api/…</c> to a region, as the rack's nginx does for
/// MAAS, so that machines on a boot network only ever need to reach their rack. Bodies stream in
/// both directions. A region that refuses the connection is skipped for the next one, which is safe
/// because nothing of the request was sent; any later failure is a 502.
/// </summary>
internal sealed class RegionProxy(IRegionUrls regions, HttpMessageInvoker client, ILogger logger)
{
    public static bool Handles(PathString path) =>
        path.StartsWithSegments("/MAAS/metadata", StringComparison.Ordinal) || path.StartsWithSegments("/MAAS/api", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        var body = canHaveBody ? new ReadTrackingStream(request.Body) : null;

        foreach (var region in regions.InPreferenceOrder())
        {
            using var upstream = UpstreamRequest(context, region, body);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(upstream, context.RequestAborted);
            }
            catch (Exception e) when (IsConnectFailure(e, context) && body is not { WasRead: true })
            {
                RackHttpLog.RegionUnreachable(logger, region.ToString(), request.Method, path, e);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                RackHttpLog.RegionFailed(logger, region.ToString(), request.Method, path, e);
                await BadGatewayAsync(context);
                return;
            }

            using (response)
                await RelayAsync(context, response);
            return;
        }

        RackHttpLog.NoRegionAnswered(logger, request.Method, path);
        await BadGatewayAsync(context);
    }

    // Refused or unreachable (HttpRequestError.ConnectionError), or no answer to the connect within
    // ConnectTimeout (a canceled operation wrapping a TimeoutException while the client is still there).
    private static bool IsConnectFailure(Exception e, HttpContext context) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        OperationCanceledException { InnerException: TimeoutException } => !context.RequestAborted.IsCancellationRequested,
        _ => false,
    };

    private static HttpRequestMessage UpstreamRequest(HttpContext context, Uri region, ReadTrackingStream? body)
    {
        var request = context.Request;
        var target = new UriBuilder(region) { Path = request.Path.ToUriComponent(), Query = request.QueryString.ToUriComponent() };
        var upstream = new HttpRequestMessage(new HttpMethod(request.Method), target.Uri)
        {
            Content = body is null ? null : new StreamContent(body),
        };

        var skip = HopByHopHeaders.For(request.Headers.Connection);
        skip.Add("Host");
        foreach (var (name, values) in request.Headers)
        {
            if (skip.Contains(name))
                continue;
            if (!upstream.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                upstream.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        // The region builds its URLs from the address the machine used, which is the rack's.
        upstream.Headers.Host = request.Host.Value;
        var clientAddress = context.Connection.RemoteIpAddress;
        if (clientAddress is { IsIPv4MappedToIPv6: true })
            clientAddress = clientAddress.MapToIPv4();
        var forwardedFor = StringValues.Concat(request.Headers["X-Forwarded-For"], clientAddress?.ToString());
        upstream.Headers.Remove("X-Forwarded-For");
        upstream.Headers.TryAddWithoutValidation("X-Forwarded-For", string.Join(", ", forwardedFor.Where(v => !string.IsNullOrEmpty(v))));
        upstream.Headers.Remove("X-Forwarded-Proto");
        upstream.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        return upstream;
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage upstream)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        var skip = HopByHopHeaders.For(new StringValues(upstream.Headers.TryGetValues("Connection", out var c) ? c.ToArray() : []));
        Copy(upstream.Headers, response, skip);
        Copy(upstream.Content.Headers, response, skip);
        await using var content = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
        await content.CopyToAsync(response.Body, context.RequestAborted);
    }

    private static void Copy(HttpHeaders headers, HttpResponse response, HashSet<string> skip)
    {
        foreach (var (name, values) in headers)
        {
            if (!skip.Contains(name))
                response.Headers[name] = values.ToArray();
        }
    }

    private static async Task BadGatewayAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("No region controller answered.\n", context.RequestAborted);
    }
}
