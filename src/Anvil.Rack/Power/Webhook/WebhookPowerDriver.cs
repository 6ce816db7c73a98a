using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using Anvil.Domain.Power;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Webhook;

/// <summary>
/// MAAS 3.x's webhook power type: POST <c>power_on_uri</c> / <c>power_off_uri</c>, GET
/// <c>power_query_uri</c> and read the state by matching <c>power_on_regex</c> (first) and
/// <c>power_off_regex</c> against the answer body; neither matching is <see cref="PowerState.Unknown"/>.
/// <c>power_token</c> is sent as a bearer token and wins over <c>power_user</c>/<c>power_pass</c> (basic).
/// There is no cycle URI, so a cycle is off, wait until the query says off, then on.
/// </summary>
internal sealed class WebhookPowerDriver(WebhookDriverOptions options, ILogger<WebhookPowerDriver> logger) : IPowerDriver
{
    public PowerDriverDescription Description => PowerDrivers.Webhook;

    public async Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct)
    {
        using var http = CreateClient(parameters);
        return await QueryAsync(http, parameters, ct);
    }

    public async Task PowerOnAsync(PowerParameters parameters, CancellationToken ct)
    {
        using var http = CreateClient(parameters);
        if (await QueryAsync(http, parameters, ct) == PowerState.On)
        {
            WebhookLog.AlreadyOn(logger, Shown(Url(parameters, "power_query_uri")));
            return;
        }

        await PostAsync(http, parameters, "power_on_uri", ct);
    }

    public async Task PowerOffAsync(PowerParameters parameters, CancellationToken ct)
    {
        using var http = CreateClient(parameters);
        await PostAsync(http, parameters, "power_off_uri", ct);
    }

    public async Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct)
    {
        using var http = CreateClient(parameters);
        if (await QueryAsync(http, parameters, ct) != PowerState.Off)
        {
            await PostAsync(http, parameters, "power_off_uri", ct);
            while (await QueryAsync(http, parameters, ct) != PowerState.Off)
            {
                try
                {
                    await Task.Delay(options.CyclePollInterval, ct);
                }
                catch (OperationCanceledException e)
                {
                    throw new PowerException(PowerErrorKind.ProtocolError, $"The webhook at {Shown(Url(parameters, "power_query_uri"))} never reported the machine off after power_off_uri, so power_on_uri was not sent.", e);
                }
            }
        }

        await PostAsync(http, parameters, "power_on_uri", ct);
    }

    public Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct) =>
        throw new PowerException(PowerErrorKind.NotSupported, "The webhook power type cannot choose the boot device; configure the machine to boot from the network first.");

    private async Task<PowerState> QueryAsync(HttpClient http, PowerParameters parameters, CancellationToken ct)
    {
        var url = Url(parameters, "power_query_uri");
        var on = Pattern(parameters, "power_on_regex");
        var off = Pattern(parameters, "power_off_regex");
        var body = await SendAsync(http, HttpMethod.Get, url, "power_query_uri", readBody: true, ct);
        try
        {
            if (on.IsMatch(body))
                return PowerState.On;
            if (off.IsMatch(body))
                return PowerState.Off;
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new PowerException(PowerErrorKind.InvalidParameters, $"The webhook regexes took longer than {options.RegexTimeout.TotalSeconds:0.#} s on the answer of {Shown(url)}; simplify power_on_regex / power_off_regex.", e);
        }

        WebhookLog.NoRegexMatched(logger, Shown(url));
        return PowerState.Unknown;
    }

    private async Task PostAsync(HttpClient http, PowerParameters parameters, string field, CancellationToken ct)
    {
        var url = Url(parameters, field);
        await SendAsync(http, HttpMethod.Post, url, field, readBody: false, ct);
        WebhookLog.Sent(logger, field, Shown(url));
    }

    private async Task<string> SendAsync(HttpClient http, HttpMethod method, Uri url, string field, bool readBody, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, url);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The webhook at {Shown(url)} ({field}) refused the credentials with HTTP {(int)response.StatusCode}; check power_token or power_user and power_pass.");
            if (!response.IsSuccessStatusCode)
                throw new PowerException(PowerErrorKind.ProtocolError, $"The webhook at {Shown(url)} ({field}) answered {method} with HTTP {(int)response.StatusCode}.");
            return readBody ? await ReadLimitedAsync(response, ct) : "";
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
        {
            throw new PowerException(PowerErrorKind.ProtocolError, $"The webhook at {Shown(url)} ({field}) has a TLS certificate this rack does not trust ({tls.Message}); install its CA or set power_verify_ssl=n.", e);
        }
        catch (HttpRequestException e)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"Cannot reach the webhook at {Shown(url)} ({field}): {e.Message}", e);
        }
        catch (OperationCanceledException e)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"The webhook at {Shown(url)} ({field}) did not answer {method} within the deadline.", e);
        }
    }

    private async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxQueryBodyBytes);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var length = 0;
            int read;
            while (length < options.MaxQueryBodyBytes && (read = await stream.ReadAsync(buffer.AsMemory(length, options.MaxQueryBodyBytes - length), ct)) > 0)
                length += read;
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private HttpClient CreateClient(PowerParameters parameters)
    {
        var verify = parameters.Get("power_verify_ssl") switch
        {
            "y" => true,
            "n" => false,
            var other => throw new PowerException(PowerErrorKind.InvalidParameters, $"The webhook power_verify_ssl must be y or n, not '{other}'."),
        };
        var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, UseCookies = false };
        if (!verify)
        {
#pragma warning disable CA5359 // MAAS's default for webhooks (power_verify_ssl=n): the operator decides per machine.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        var token = parameters.Get("power_token");
        var user = parameters.Get("power_user");
        if (token.Length > 0)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (user.Length > 0)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{parameters.Get("power_pass")}")));
        return http;
    }

    private static Uri Url(PowerParameters parameters, string field) =>
        Uri.TryCreate(parameters.Require(field), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new PowerException(PowerErrorKind.InvalidParameters, $"The webhook {field} is not an absolute http or https URL.");

    private Regex Pattern(PowerParameters parameters, string field)
    {
        try
        {
            return new Regex(parameters.Require(field), RegexOptions.CultureInvariant, options.RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new PowerException(PowerErrorKind.InvalidParameters, $"The webhook {field} is not a valid regular expression: {e.Message}", e);
        }
    }

    /// <summary>The URL without user info or query string, which may carry credentials.</summary>
    private static string Shown(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}
