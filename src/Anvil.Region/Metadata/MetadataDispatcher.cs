using Anvil.Data.Metadata;
using Anvil.Data.Timeline;
using Anvil.Domain.Errors;
using Anvil.Region.Api.Framework;
using Anvil.Region.Deploy;
using Anvil.Region.Timeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Anvil.Region.Metadata;

/// <summary>
/// Answers everything under <c>/MAAS/metadata/</c>: parses the path, checks the version, reads
/// the body, knows the node by its token where the endpoint has a node's view (and serves the
/// anonymous enlistment view when the request is not signed), and turns refusals into MAAS's
/// status codes with plain-text bodies (<c>Date</c> on 401/403 for the runner's clock correction).
/// </summary>
internal sealed class MetadataDispatcher(
    NodeAuthenticator authenticator,
    MetadataHandlers handlers,
    UserDataHandler userData,
    StatusWebhook webhook,
    InstallConfigHandler installConfig,
    BootTimeline timeline,
    IOptions<MaasApiOptions> options,
    TimeProvider time,
    ILogger<MetadataDispatcher> logger)
{
    public const string Prefix = "/MAAS/metadata";

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "";
        var method = context.Request.Method;
        try
        {
            var result = await DispatchAsync(context, path[Prefix.Length..]);
            await result.WriteAsync(context);
        }
        catch (AnvilException refusal) when (!context.Response.HasStarted)
        {
            var status = ApiErrorWriter.StatusOf(refusal.Kind);
            context.Response.Clear();
            ApiErrorWriter.AddStatusHeaders(context.Response, status, time);
            MetadataLog.Refused(logger, method, path, status, refusal.Message);
            await ApiErrorWriter.ResultFor(refusal).WriteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The node went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            MetadataLog.UnhandledException(logger, e, method, path);
            context.Response.Clear();
            await ApiResult.Text("Internal server error.", StatusCodes.Status500InternalServerError).WriteAsync(context);
        }
        finally
        {
            await DrainAsync(context);
            RecordOnTimeline(context, path);
        }
    }

    /// <summary>
    /// What a known node asked for goes on its boot timeline: signals with their status, every
    /// other call with its path and answer. Anonymous enlistment calls name no node and are left out.
    /// </summary>
    private void RecordOnTimeline(HttpContext context, string path)
    {
        if (context.Items[TimelineKey] is not MetadataRequest request)
            return;
        var nodeId = request.Node?.NodeId;
        var systemId = request.Route.SystemId;
        if (nodeId is null && systemId is null)
            return;
        var status = context.Response.StatusCode;
        var row = request.Route.Endpoint == MetadataEndpoint.VersionIndex && request.Field("op") == "signal"
            ? new BootEventRow(timeline.Now, "signal", request.Field("status") ?? "", SignalDetail(request), NodeId: nodeId, SystemId: systemId, Source: "region")
            : new BootEventRow(timeline.Now, "metadata", TimelineKind(request.Route), $"{context.Request.Method} {path} {status}", NodeId: nodeId, SystemId: systemId, Source: "region");
        timeline.Record(row);
    }

    private static string SignalDetail(MetadataRequest request)
    {
        var names = request.Body.Files.Select(f => f.Name).Where(n => !n.EndsWith(".err", StringComparison.Ordinal) && !n.EndsWith(".out", StringComparison.Ordinal) && !n.EndsWith(".yaml", StringComparison.Ordinal));
        var parts = new[] { request.Field("error"), request.Field("exit_status") is { } exit ? $"exit {exit}" : null, string.Join(", ", names) };
        return string.Join("; ", parts.Where(p => !string.IsNullOrEmpty(p)));
    }

    private static string TimelineKind(MetadataRoute route) => route.Endpoint switch
    {
        MetadataEndpoint.ById => "preseed",
        MetadataEndpoint.MetaData => "meta-data",
        MetadataEndpoint.UserData => route.Curtin ? "installer-user-data" : "user-data",
        MetadataEndpoint.MaasScripts or MetadataEndpoint.CommissioningScripts => "scripts",
        MetadataEndpoint.InstallConfig => "install-config",
        MetadataEndpoint.Status => "installer-report",
        MetadataEndpoint.VersionIndex => "index",
        _ => route.Endpoint.ToString().ToLowerInvariant(),
    };

    private const string TimelineKey = "anvil.metadata.request";

    private async Task<ApiResult> DispatchAsync(HttpContext context, string rest)
    {
        var route = MetadataRoute.Parse(rest) ?? throw new NotFoundException($"Unknown metadata endpoint: {Prefix}{rest}");
        if (!route.HasKnownVersion)
            throw new NotFoundException($"Unknown metadata version: {route.Version}");
        var get = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var post = HttpMethods.IsPost(context.Request.Method);
        switch (route.Endpoint)
        {
            case MetadataEndpoint.Index when get:
                return MetadataHandlers.Index();
            case MetadataEndpoint.Status:
                return await webhook.HandleAsync(context, route.SystemId!);
            case MetadataEndpoint.EnlistIndex when get:
                return MetadataHandlers.EnlistIndex();
            case MetadataEndpoint.EnlistMetaData when get:
                return MetadataHandlers.EnlistMetaDataItem(route.Item);
            case MetadataEndpoint.EnlistUserData when get:
                return await userData.ReadAsync(await RequestAsync(context, route, authenticate: false));
            case MetadataEndpoint.ByMac:
                throw new ForbiddenException("Unauthenticated metadata access is not allowed on this MAAS.");
            case MetadataEndpoint.ById when get || post:
                return await handlers.ByIdAsync(await RequestAsync(context, route, authenticate: false));
            case MetadataEndpoint.EnlistPreseed when get:
                return MetadataHandlers.EnlistPreseed(await RequestAsync(context, route, authenticate: false));
            case MetadataEndpoint.VersionIndex when get:
                return await handlers.VersionIndexAsync(await RequestAsync(context, route));
            case MetadataEndpoint.VersionIndex when post:
                return await handlers.VersionPostAsync(await RequestAsync(context, route));
            case MetadataEndpoint.MetaData when get:
                return await handlers.MetaDataAsync(await RequestAsync(context, route));
            case MetadataEndpoint.UserData when get:
                return await userData.ReadAsync(await RequestAsync(context, route));
            case MetadataEndpoint.MaasScripts when get:
                return await handlers.MaasScriptsAsync(await RequestAsync(context, route));
            case MetadataEndpoint.InstallConfig when get:
                return await installConfig.ReadAsync(await RequestAsync(context, route));
            case MetadataEndpoint.CommissioningScripts when get:
                return await handlers.CommissioningScriptsAsync(await RequestAsync(context, route));
            default:
                return ApiResult.Text($"Method {context.Request.Method} is not allowed here.", StatusCodes.Status405MethodNotAllowed);
        }
    }

    private async Task<MetadataRequest> RequestAsync(HttpContext context, MetadataRoute route, bool authenticate = true)
    {
        var body = await ApiBodyReader.ReadAsync(context.Request, options.Value.MaxFormBodyBytes, context.RequestAborted);
        NodeKey? node = authenticate ? await authenticator.AuthenticateAsync(context.Request, body, checkFreshness: true, context.RequestAborted) : null;
        var request = new MetadataRequest(context, route, body, node);
        context.Items[TimelineKey] = request;
        return request;
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
}
