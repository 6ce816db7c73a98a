using System.Text;
using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Machines;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Anvil.Region.Timeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Metadata;

/// <summary>
/// <c>POST /MAAS/metadata/status/{system_id}</c>: cloud-init's and curtin's progress reports
/// (maas-api.md §7.5). Each report becomes an event; files in it are stored as script results;
/// a failed top-level stage fails the running operation; cloud-init finishing
/// <c>modules-final</c> while releasing completes the release.
/// </summary>
/// <remarks>
/// MAAS queues reports per node and writes them every 60 s unless they matter at once; Anvil
/// processes each report when it arrives, which gives the same outcome in order and needs no
/// queue that a restart could lose. The signature is checked (the token's secret, in constant
/// time) but not the timestamp or nonce: cloud-init reports without correcting its clock. A
/// report for another node than the token's is refused.
/// </remarks>
internal sealed class StatusWebhook(
    Database db, NodeAuthenticator authenticator, ResultRecorder recorder, ConfigStore config, TimeProvider time, BootTimeline timeline, ILogger<StatusWebhook> logger)
{
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private static readonly string[] RequiredKeys = ["event_type", "origin", "name", "description"];

    public async Task<ApiResult> HandleAsync(HttpContext http, string systemId)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
            return ApiResult.Text("Method not allowed.", StatusCodes.Status405MethodNotAllowed);
        if (OAuthParameters.ParseAuthorizationHeader(http.Request.Headers.Authorization.ToString()) is not { } header || !header.ContainsKey("oauth_token"))
            throw new UnauthorizedException("Authorization Error: 'Missing or invalid OAuth authorization header.'");
        var key = await authenticator.AuthenticateAsync(http.Request, ApiBody.None, checkFreshness: false, http.RequestAborted)
            ?? throw new UnauthorizedException("Authorization Error: 'Missing or invalid OAuth authorization header.'");
        if (key.SystemId != systemId)
        {
            MetadataLog.StatusReportRefused(logger, systemId, "signed by another node");
            throw new ForbiddenException(NodeAuthenticator.UnknownNode);
        }

        var report = await ReadReportAsync(http);
        var nodeTimeout = await config.GetIntAsync("node_timeout", http.RequestAborted);
        await db.InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineStore.LockAsync(c, tx, key.SystemId, http.RequestAborted) ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);
                var before = m.Status;
                var events = new List<NodeEvent> { new(EventTypeFor(m, report.Result), $"'{report.Origin}' {report.Description}", report.Name) };
                // An installer that reports progress is alive: each of its stages restarts the deployment's clock (maas-api.md §5.4).
                if (m.Status == DEPLOYING && report.Origin == "curtin" && NodeStatusInfo.Timeout(DEPLOYING, nodeTimeout) is { } timeout)
                    m.StatusExpires = time.GetUtcNow() + timeout;
                await StoreFilesAsync(c, tx, m, report, events, http.RequestAborted);
                await ApplyOutcomeAsync(c, tx, m, report, events, http.RequestAborted);
                await MachineOperations.SaveAsync(c, tx, m, before, new LifecycleOutcome(events, PowerRequest.None), null, http.RequestAborted);
            },
            http.RequestAborted);
        timeline.RecordInstallReport(key.SystemId, report.Origin, report.EventType, report.Name, report.Result, report.Description);
        return ApiResult.Bytes(ReadOnlyMemory<byte>.Empty, "text/plain", StatusCodes.Status204NoContent);
    }

    private static async Task<StatusReport> ReadReportAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        if (buffer.Length > MaxBodyBytes)
            throw new BadRequestException("Status payload is too large.");
        var bytes = buffer.ToArray();
        if (bytes.Any(b => b > 0x7f))
            throw new BadRequestException("Status payload must be ASCII-only.");
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(bytes).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"Status payload is not valid JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
            throw new BadRequestException("Status payload must be a JSON object.");
        foreach (var required in RequiredKeys)
        {
            if (!root.TryGetProperty(required, out var value) || value.ValueKind != JsonValueKind.String)
                throw new BadRequestException($"Missing parameter in status message {required}");
        }

        var files = new List<ReportFile>();
        if (root.TryGetProperty("files", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in list.EnumerateArray())
            {
                files.Add(new ReportFile(
                    Str(file, "path") ?? Str(file, "name") ?? "",
                    Str(file, "encoding"),
                    Str(file, "compression"),
                    Str(file, "content") ?? ""));
            }
        }

        return new StatusReport(
            root.GetProperty("event_type").GetString()!,
            root.GetProperty("origin").GetString()!,
            root.GetProperty("name").GetString()!,
            root.GetProperty("description").GetString()!,
            Str(root, "result"),
            files);
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string EventTypeFor(Machine m, string? result)
    {
        var ok = result is null or "SUCCESS";
        return m.Status switch
        {
            COMMISSIONING => ok ? EventTypes.NODE_COMMISSIONING_EVENT : EventTypes.NODE_COMMISSIONING_EVENT_FAILED,
            DEPLOYING => ok ? EventTypes.NODE_INSTALL_EVENT : EventTypes.NODE_INSTALL_EVENT_FAILED,
            DEPLOYED when result == "FAIL" => EventTypes.NODE_POST_INSTALL_EVENT_FAILED,
            ENTERING_RESCUE_MODE => ok ? EventTypes.NODE_ENTERING_RESCUE_MODE_EVENT : EventTypes.NODE_ENTERING_RESCUE_MODE_EVENT_FAILED,
            _ => EventTypes.NODE_STATUS_EVENT,
        };
    }

    /// <summary>Files are results of the run the node is in: its installation log while deploying, commissioning or test output.</summary>
    private async Task StoreFilesAsync(Npgsql.NpgsqlConnection c, Npgsql.NpgsqlTransaction tx, Machine m, StatusReport report, List<NodeEvent> events, CancellationToken ct)
    {
        ResultType? type = m.Status switch
        {
            DEPLOYING => ResultType.Installation,
            COMMISSIONING => ResultType.Commissioning,
            TESTING => ResultType.Testing,
            _ => null,
        };
        if (type is null || report.Files.Count == 0)
            return;
        var uploads = new List<ApiFile>();
        foreach (var file in report.Files)
        {
            if (file.Compression is { Length: > 0 } compression)
            {
                events.Add(new NodeEvent(EventTypes.SCRIPT_RESULT_ERROR, $"File {file.Path} is {compression}-compressed, which Anvil does not read; it was not stored."));
                continue;
            }

            try
            {
                uploads.Add(new ApiFile(file.Path, file.Path, null, file.Encoding == "base64" ? Convert.FromBase64String(file.Content) : Encoding.ASCII.GetBytes(file.Content)));
            }
            catch (FormatException)
            {
                events.Add(new NodeEvent(EventTypes.SCRIPT_RESULT_ERROR, $"File {file.Path} is not valid base64; it was not stored."));
            }
        }

        if (uploads.Count == 0)
            return;
        var setId = (await ScriptSetStore.CurrentAsync(c, tx, m.Id, ct)).For(type.Value)
            ?? await ScriptSetFactory.CreateEmptyAsync(c, tx, m.Id, type.Value, m.PowerState, ct);
        var set = await ScriptSetStore.GetAsync(c, tx, setId, ct) ?? throw new InvalidOperationException($"Script set {setId} vanished under the node's lock.");
        // A file's exit status follows the report: a failed stage's output is a failed result.
        var exitStatus = report.Result is null or "SUCCESS" ? 0 : 1;
        var signal = new SignalRequest(SignalStatus.Ok, "OK", null, null, null, exitStatus, null, null, null, null, uploads);
        await recorder.StoreAsync(c, tx, m, set, signal, time.GetUtcNow(), events, ct);
    }

    private static async Task ApplyOutcomeAsync(Npgsql.NpgsqlConnection c, Npgsql.NpgsqlTransaction tx, Machine m, StatusReport report, List<NodeEvent> events, CancellationToken ct)
    {
        if (report.EventType != "finish" || report.Name.Contains('/', StringComparison.Ordinal))
            return;
        if (report.Result is "FAIL" or "FAILURE")
        {
            var comment = m.Status switch
            {
                COMMISSIONING when !await MayRebootScriptRunningAsync(c, tx, m, ct) =>
                    "Commissioning failed, cloud-init reported a failure (refer to the event log for more information).",
                DEPLOYING => "Installation failed (refer to the installation log for more information).",
                DISK_ERASING => "Failed to erase disks.",
                RELEASING => "Failed to release machine.",
                _ => null,
            };
            if (comment is not null)
                events.AddRange(MachineLifecycle.MarkFailed(m, comment).Events);
        }
        else if (report.Name == "modules-final" && m.Status is DISK_ERASING or RELEASING)
        {
            events.AddRange(MachineLifecycle.CompleteRelease(m).Events);
        }
    }

    /// <summary>A script allowed to reboot the machine makes cloud-init's failure expected.</summary>
    private static async Task<bool> MayRebootScriptRunningAsync(Npgsql.NpgsqlConnection c, Npgsql.NpgsqlTransaction tx, Machine m, CancellationToken ct)
    {
        if ((await ScriptSetStore.CurrentAsync(c, tx, m.Id, ct)).Commissioning is not { } setId)
            return false;
        var running = (await ScriptResultStore.ListAsync(c, tx, setId, ct)).Where(r => r.Status == ScriptStatus.Running && r.ScriptId is not null).ToList();
        var scripts = await ScriptCatalog.ByIdsAsync(c, tx, running.Select(r => r.ScriptId!.Value).ToArray(), ct);
        return scripts.Values.Any(s => s.MayReboot);
    }

    private sealed record StatusReport(string EventType, string Origin, string Name, string Description, string? Result, IReadOnlyList<ReportFile> Files);

    private sealed record ReportFile(string Path, string? Encoding, string? Compression, string Content);
}
