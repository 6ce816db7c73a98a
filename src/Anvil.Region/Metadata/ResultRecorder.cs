using Anvil.Data.Scripts;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Anvil.Region.Metadata;

/// <summary>
/// Stores what a signal reports into a script set (MAAS's <c>_store_results</c>,
/// <c>process_file</c>, <c>store_result</c>): uploaded files grouped by the result they belong
/// to, each result's status from its exit status (or TIMEDOUT, or the status its result YAML
/// gives), and a result's progress through INSTALLING, APPLYING_NETCONF and RUNNING. Every
/// signal is a heartbeat for the set. Runs in the signal's transaction with the node row locked,
/// so two signals of one node never interleave.
/// </summary>
internal sealed class ResultRecorder(IEnumerable<ICommissioningResults> processors, ILogger<ResultRecorder> logger)
{
    private readonly ICommissioningResults[] _processors = processors.ToArray();

    public async Task StoreAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine node, ScriptSetRecord set, SignalRequest signal,
        DateTimeOffset now, List<NodeEvent> events, CancellationToken ct)
    {
        var pending = new Dictionary<long, Upload>();
        foreach (var file in signal.Files)
        {
            var (name, kind) = ResultFiles.Classify(file.Name);
            var result = signal.ScriptResultId is { } id ? await ScriptResultStore.FindAsync(c, tx, set.Id, id, ct) : null;
            result ??= await ScriptResultStore.FindByNameAsync(c, tx, set.Id, name, ct)
                ?? await ScriptResultStore.AddRunningAsync(c, tx, set.Id, name, now, ct);
            if (!pending.TryGetValue(result.Id, out var upload))
            {
                pending[result.Id] = upload = new Upload(result)
                {
                    ExitStatus = signal.ExitStatus ?? 0,
                    VersionId = signal.ScriptVersionId,
                    Runtime = signal.Runtime is > 0 ? signal.Runtime : null,
                };
            }

            upload.Set(kind, file.Content);
        }

        foreach (var upload in pending.Values)
            await StoreResultAsync(c, tx, node, set, upload, signal.Status == SignalStatus.TimedOut, now, events, ct);

        await ScriptSetStore.PingAsync(c, tx, set.Id, now, ct);
        await AdvanceAsync(c, tx, set, signal, now, ct);
    }

    /// <summary>A result moves forward only from an earlier step, in case its outcome already arrived.</summary>
    private static async Task AdvanceAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptSetRecord set, SignalRequest signal, DateTimeOffset now, CancellationToken ct)
    {
        ScriptResultRecord? result;
        switch (signal.Status)
        {
            case SignalStatus.ApplyingNetconf when signal.ScriptResultId is { } id:
                result = await ScriptResultStore.FindAsync(c, tx, set.Id, id, ct);
                if (result is { Status: ScriptStatus.Pending })
                    await SaveStatusAsync(c, tx, result, ScriptStatus.ApplyingNetconf, now, ct);
                break;
            case SignalStatus.Installing when signal.ScriptResultId is { } id:
                result = await ScriptResultStore.FindAsync(c, tx, set.Id, id, ct);
                if (result is { Status: ScriptStatus.Pending or ScriptStatus.ApplyingNetconf })
                    await SaveStatusAsync(c, tx, result, ScriptStatus.Installing, now, ct);
                break;
            case SignalStatus.Working:
                result = signal.ScriptResultId is { } rid ? await ScriptResultStore.FindAsync(c, tx, set.Id, rid, ct)
                    : signal.Name is { Length: > 0 } name ? await ScriptResultStore.FindByNameAsync(c, tx, set.Id, name, ct)
                    : null;
                if (result is { Status: ScriptStatus.Pending or ScriptStatus.ApplyingNetconf or ScriptStatus.Installing })
                    await SaveStatusAsync(c, tx, result, ScriptStatus.Running, now, ct);
                break;
        }
    }

    private static Task SaveStatusAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptResultRecord result, ScriptStatus status, DateTimeOffset now, CancellationToken ct)
    {
        result.Status = status;
        if (status == ScriptStatus.Running)
            result.Started ??= now;
        return ScriptResultStore.SaveAsync(c, tx, result, ct);
    }

    private async Task StoreResultAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, Machine node, ScriptSetRecord set, Upload upload, bool timedOut,
        DateTimeOffset now, List<NodeEvent> events, CancellationToken ct)
    {
        var r = upload.Record;
        if (timedOut)
        {
            r.Status = ScriptStatus.TimedOut;
        }
        else
        {
            r.ExitStatus = upload.ExitStatus;
            r.Status = (upload.ExitStatus, r.Status) switch
            {
                (0, _) => ScriptStatus.Passed,
                (_, ScriptStatus.Installing) => ScriptStatus.FailedInstalling,
                (_, ScriptStatus.ApplyingNetconf) => ScriptStatus.FailedApplyingNetconf,
                _ => ScriptStatus.Failed,
            };
        }

        r.Output = upload.Output ?? r.Output;
        r.Stdout = upload.Stdout ?? r.Stdout;
        r.Stderr = upload.Stderr ?? r.Stderr;
        if (upload.Result is { } yaml)
        {
            r.Result = yaml;
            if (!ResultYaml.TryReadStatus(yaml, out var declared))
                events.Add(ScriptError($"{node.Hostname}({node.SystemId}) sent a script result with invalid YAML: status must be \"passed\", \"failed\", \"degraded\", \"timedout\", or \"skipped\"."));
            else if (declared is { } status)
                r.Status = status;
        }

        var script = r.ScriptId is { } scriptId ? (await ScriptCatalog.ByIdsAsync(c, tx, [scriptId], ct)).GetValueOrDefault(scriptId) : null;
        if (script is not null)
        {
            if (upload.VersionId is { } versionId)
            {
                if (await ScriptResultStore.IsVersionOfAsync(c, tx, script.Id, versionId, ct))
                    r.ScriptVersionId = versionId;
                else
                    events.Add(ScriptError($"{node.Hostname}({node.SystemId}) sent a script result for {script.Name}({script.Id}) with an unknown script version({versionId})."));
            }
            else
            {
                // The runner ran the version it was sent: the latest.
                r.ScriptVersionId = script.VersionId;
            }
        }

        if (set.ResultType == ResultType.Commissioning && upload.Stdout is not null && !await ProcessedAsync(c, tx, node, r, events, ct))
            r.Status = ScriptStatus.Failed;

        if (r.Status == ScriptStatus.Passed && script is { ScriptType: ScriptType.Commissioning, Recommission: true })
            await ScriptResultStore.ResetBuiltinCommissioningAsync(c, tx, set.Id, ct);

        if (r.Status == ScriptStatus.Running)
            r.Started ??= now;
        else if (!ScriptResultStore.IsRunningOrPending(r.Status))
            r.Ended ??= now;
        if (upload.Runtime is { } runtime && r.Ended is { } ended)
            r.Started = ended - TimeSpan.FromSeconds(runtime);
        await ScriptResultStore.SaveAsync(c, tx, r, ct);
    }

    /// <summary>
    /// Hands commissioning output to the processors, each under a savepoint so that one that
    /// fails leaves no half-written machine behind; false when any failed.
    /// </summary>
    private async Task<bool> ProcessedAsync(NpgsqlConnection c, NpgsqlTransaction tx, Machine node, ScriptResultRecord r, List<NodeEvent> events, CancellationToken ct)
    {
        var ok = true;
        var output = new CommissioningOutput(node.Id, node.SystemId, r.Id, r.ScriptName, r.ExitStatus, r.Stdout, r.Result);
        foreach (var processor in _processors)
        {
            await tx.SaveAsync("commissioning_output", ct);
            try
            {
                await processor.ProcessAsync(output, c, tx, ct);
                await tx.ReleaseAsync("commissioning_output", ct);
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsRetryable(e))
            {
                await tx.RollbackAsync("commissioning_output", ct);
                MetadataLog.ProcessingFailed(logger, e, node.SystemId, r.ScriptName);
                events.Add(ScriptError($"{node.Hostname}({node.SystemId}): commissioning script '{r.ScriptName}' failed during post-processing."));
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>Serialization failures and deadlocks are the database's, not the processor's: the whole signal is retried.</summary>
    private static bool IsRetryable(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    private static NodeEvent ScriptError(string description) => new(EventTypes.SCRIPT_RESULT_ERROR, description);

    private sealed class Upload(ScriptResultRecord record)
    {
        public ScriptResultRecord Record { get; } = record;
        public int ExitStatus { get; init; }
        public long? VersionId { get; init; }
        public double? Runtime { get; init; }
        public byte[]? Output { get; private set; }
        public byte[]? Stdout { get; private set; }
        public byte[]? Stderr { get; private set; }
        public byte[]? Result { get; private set; }

        public void Set(ResultFileKind kind, byte[] content)
        {
            switch (kind)
            {
                case ResultFileKind.Stdout: Stdout = content; break;
                case ResultFileKind.Stderr: Stderr = content; break;
                case ResultFileKind.Result: Result = content; break;
                default: Output = content; break;
            }
        }
    }
}
