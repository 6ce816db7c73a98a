using Anvil.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Answers everything under <c>/MAAS/api/</c>: routes the path, reads the body, authenticates,
/// picks the action by (method, op), validates declared parameters, runs the action and turns
/// refusals into MAAS's responses.
/// </summary>
internal sealed class ApiDispatcher(
    ApiRouter router,
    ApiDescriber describer,
    OAuthAuthenticator oauth,
    IEnumerable<IApiSessionAuthenticator> sessions,
    IOptions<MaasApiOptions> options,
    TimeProvider time,
    ILogger<ApiDispatcher> logger)
{
    private const string V1GoneMessage = "The 1.0 API is no longer available. Please use API version 2.0.";

    private static readonly byte[] VersionJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
        new VersionInfo(MaasVersion.Capabilities, MaasVersion.Version, MaasVersion.Subversion), ApiJson.Options);

    private readonly IApiSessionAuthenticator? _session = sessions.FirstOrDefault();

    /// <summary>The body of <c>GET version/</c>, shared with the built-in VersionHandler.</summary>
    internal static ApiResult VersionResult => ApiResult.JsonUtf8(VersionJson);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? string.Empty;
        try
        {
            if (path.StartsWith(ApiPaths.V2, StringComparison.Ordinal))
            {
                context.Response.Headers[ApiPaths.HashHeader] = describer.Hash;
                await HandleV2Async(context, path);
            }
            else if (path == ApiPaths.VersionText)
            {
                await ApiResult.Text(MaasVersion.ApiVersion).WriteAsync(context);
            }
            else if (path == ApiPaths.V1 || path.StartsWith(ApiPaths.V1 + "/", StringComparison.Ordinal))
            {
                await ApiResult.Text(V1GoneMessage, StatusCodes.Status410Gone).WriteAsync(context);
            }
            else
            {
                await UnknownEndpoint(path).WriteAsync(context);
            }
        }
        finally
        {
            await DrainAsync(context);
        }
    }

    private static ApiResult UnknownEndpoint(string path) => ApiResult.Text($"Unknown API endpoint: {path}.", StatusCodes.Status404NotFound);

    private async Task HandleV2Async(HttpContext context, string path)
    {
        var method = context.Request.Method.ToUpperInvariant();
        ApiAction? action = null;
        ApiHandler? handler = null;
        try
        {
            var relative = path[ApiPaths.V2.Length..];
            if (relative == ApiPaths.Describe)
            {
                await ApiResult.Bytes(describer.DescribeUtf8(ApiBaseUri.For(context.Request)), "application/json").WriteAsync(context);
                return;
            }

            if (router.Match(relative) is not { } match)
            {
                await UnknownEndpoint(path).WriteAsync(context);
                return;
            }

            var body = await ApiBodyReader.ReadAsync(context.Request, options.Value.MaxFormBodyBytes, context.RequestAborted);
            (handler, var user) = await AuthenticateAsync(context, match.Resource, body);
            var op = FirstNonEmpty(context.Request.Query["op"].LastOrDefault(), body.Get("op"), match.PathOp);
            action = handler.Find(method, op);
            if (action is null && user is null && match.Resource.Auth?.Find(method, op) is not null)
            {
                // An anonymous caller asked for something only the authenticated handler does
                // (e.g. listing machines): that is a missing login, not a malformed request.
                throw new UnauthorizedException("Authentication required.");
            }

            if (action is null)
                throw new BadRequestException($"Unrecognised signature: method={method} op={op ?? "None"}");
            if (action.Access == ApiAccess.Admin && user is not { IsSuperuser: true })
                throw new ForbiddenException("This method is reserved for admin users.");

            var form = BuildForm(context.Request.Query, body);
            ApiParamValidator.Validate(action, form);
            var result = await action.Invoke(new ApiRequest(context, action, user, match.Route, form));
            await result.WriteAsync(context);
        }
        catch (AnvilException refusal) when (!context.Response.HasStarted)
        {
            var result = ApiErrorWriter.ResultFor(refusal);
            ResetResponse(context);
            ApiErrorWriter.AddStatusHeaders(context.Response, ApiErrorWriter.StatusOf(refusal.Kind), time);
            ApiLog.Refused(logger, method, path, ApiErrorWriter.StatusOf(refusal.Kind), refusal.Message);
            await result.WriteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            ApiLog.UnhandledException(logger, e, method, path, handler?.Name ?? "-", action?.Name ?? "-");
            ResetResponse(context);
            await ApiResult.Text("Internal server error.", StatusCodes.Status500InternalServerError).WriteAsync(context);
        }
        catch (Exception e)
        {
            ApiLog.FailedAfterResponseStarted(logger, e, method, path);
            context.Abort();
        }
    }

    /// <summary>
    /// Credentials present: the authenticated handler (invalid ones are refused, never downgraded).
    /// None: a session user if one is logged in, else the anonymous handler, else 401.
    /// A resource with only an anonymous handler (version/) serves everyone.
    /// </summary>
    private async Task<(ApiHandler Handler, ApiUser? User)> AuthenticateAsync(HttpContext context, ApiResource resource, ApiBody body)
    {
        if (resource.Auth is null)
            return (resource.Anon!, null);

        if (OAuthParameters.Read(context.Request, body) is { } credentials)
            return (resource.Auth, await oauth.AuthenticateAsync(credentials, context.RequestAborted));

        if (_session is not null && await _session.AuthenticateAsync(context, context.RequestAborted) is { } sessionUser)
            return (resource.Auth, sessionUser);

        return resource.Anon is not null
            ? (resource.Anon, null)
            : throw new UnauthorizedException("Authorization Error: 'No credentials were provided; sign the request with an API key.'");
    }

    /// <summary>Body fields, then query parameters the body lacks; <c>op</c> and OAuth parameters are not fields.</summary>
    private static ApiForm BuildForm(IQueryCollection query, ApiBody body)
    {
        var values = body.Values.Where(v => IsField(v.Key)).ToList();
        var bodyKeys = values.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, queryValues) in query)
        {
            if (!IsField(key) || bodyKeys.Contains(key))
                continue;
            foreach (var value in queryValues)
                values.Add(new(key, value ?? string.Empty));
        }

        return new ApiForm(values, body.Files);
    }

    private static bool IsField(string key) => key != "op" && !key.StartsWith("oauth_", StringComparison.Ordinal);

    private static string? FirstNonEmpty(params string?[] candidates) => candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c));

    private static void ResetResponse(HttpContext context)
    {
        var hash = context.Response.Headers[ApiPaths.HashHeader];
        context.Response.Clear();
        if (hash.Count > 0)
            context.Response.Headers[ApiPaths.HashHeader] = hash;
    }

    private async Task DrainAsync(HttpContext context)
    {
        try
        {
            await ApiBodyReader.DrainAsync(context.Request, options.Value.MaxFormBodyBytes, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or BadHttpRequestException)
        {
            // Draining is a courtesy to keep-alive; a body we cannot read leaves the server to close the connection.
        }
    }

    private sealed record VersionInfo(IReadOnlyList<string> Capabilities, string Version, string Subversion);
}
