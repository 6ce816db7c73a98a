using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Machines;
using Anvil.Data.Metadata;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Machines;
using Anvil.Region.Power;
using Anvil.Region.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Metadata;

/// <summary>
/// <c>op=signal</c> (maas-api.md §7.3): stores what the node reports in the set its status runs
/// and moves the node on — commissioning to Ready (New while enlisting) or testing, a failed
/// script or FAILED to Failed commissioning, tests to where the machine was, rescue mode
/// entered, releases completed, operations failed. All in one transaction under the node's row
/// lock, so concurrent signals of one node are applied one after the other and none is lost.
/// </summary>
internal sealed class SignalProcessor(
    Database db, ResultRecorder recorder, IPowerService power, TimeProvider time, IEnumerable<ICommissioningResults> processors, ILogger<SignalProcessor> logger)
{
    /// <summary>Statuses in which a signal is accepted and changes nothing.</summary>
    private static readonly HashSet<NodeStatus> NoOpStatuses =
        [BROKEN, FAILED_COMMISSIONING, FAILED_DEPLOYMENT, READY, FAILED_ENTERING_RESCUE_MODE, FAILED_TESTING];

    private readonly ICommissioningResults[] _processors = processors.ToArray();

    public async Task SignalAsync(NodeKey key, SignalRequest signal, CancellationToken ct)
    {
        var (before, after) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineStore.LockAsync(c, tx, key.SystemId, ct) ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);
                var context = new SignalContext(c, tx, m, signal, time.GetUtcNow(), ct);
                var from = m.Status;
                await ProcessAsync(context);
                return (from, m.Status);
            },
            ct);
        MetadataLog.Signalled(logger, key.SystemId, signal.StatusText, NodeStatusInfo.Label(before), NodeStatusInfo.Label(after));
    }

    private async Task ProcessAsync(SignalContext s)
    {
        var m = s.Machine;
        var before = m.Status;
        NodeStatus? target;
        if (m.NodeType != NodeType.MACHINE)
        {
            // Controllers and devices report commissioning data whatever their status; only a
            // tested one changes status.
            target = m.Status == TESTING ? await ProcessTestingAsync(s) : await ProcessCommissioningAsync(s);
            if (m.Status != TESTING)
                target = null;
        }
        else
        {
            target = m.Status switch
            {
                NEW => await ProcessNewAsync(s),
                TESTING => await ProcessTestingAsync(s),
                COMMISSIONING or DEPLOYED => await ProcessCommissioningAsync(s),
                DEPLOYING => await StoreThenAsync(s, ResultType.Installation, () => FailOn(s, "Installation failed (refer to the installation log for more information).")),
                DISK_ERASING => await StoreThenAsync(s, ResultType.Release, () => ReleaseOrFail(s, "Failed to erase disks.")),
                ENTERING_RESCUE_MODE => EnterRescueMode(s),
                RESCUE_MODE => await StoreThenAsync(s, ResultType.Commissioning, () => null),
                RELEASING => await StoreThenAsync(s, ResultType.Release, () => ReleaseOrFail(s, "Failed to release machine.")),
                _ when NoOpStatuses.Contains(m.Status) => null,
                _ => throw new ConflictException($"Machine status isn't valid (status is {NodeStatusInfo.Label(m.Status)})"),
            };
        }

        var statusEvent = target switch
        {
            READY => EventTypes.READY,
            NodeStatus.FAILED_COMMISSIONING => EventTypes.FAILED_COMMISSIONING,
            NodeStatus.RESCUE_MODE => EventTypes.RESCUE_MODE,
            NEW => EventTypes.NEW,
            NodeStatus.FAILED_TESTING => EventTypes.FAILED_TESTING,
            _ => null,
        };
        if (statusEvent is not null)
            s.Events.Add(new NodeEvent(statusEvent));
        if (target is { } to && to != m.Status)
        {
            var from = m.Status;
            NodeTransitions.Apply(m, to);
            s.Events.Add(new NodeEvent(EventTypes.NODE_CHANGED_STATUS, $"From '{NodeStatusInfo.Label(from)}' to '{NodeStatusInfo.Label(to)}'"));
            m.ErrorDescription = s.Signal.Error ?? "";
            // Commissioning and testing took the machine for the admin who started them.
            if (to is READY or NEW)
            {
                m.OwnerId = null;
                m.OwnerName = null;
            }
        }

        await MachineOperations.SaveAsync(s.Connection, s.Transaction, m, before, new LifecycleOutcome(s.Events, PowerRequest.None), null, s.Ct);
    }

    /// <summary>A New machine asks to commission itself (enlistment): it runs the built-in commissioning scripts.</summary>
    private static async Task<NodeStatus?> ProcessNewAsync(SignalContext s)
    {
        if (s.Signal.Status != SignalStatus.Commissioning)
            return null;
        var current = (await ScriptSetStore.CurrentAsync(s.Connection, s.Transaction, s.Machine.Id, s.Ct)).Commissioning;
        var unfinished = current is { } setId
            && (await ScriptResultStore.ListAsync(s.Connection, s.Transaction, setId, s.Ct)).Any(r => !r.Suppressed && !r.HasFinished);
        if (!unfinished)
            await ScriptSetFactory.CreateCommissioningAsync(s.Connection, s.Transaction, s.Machine.Id, s.Machine.PowerState, [ScriptSetFactory.None], s.Ct);
        return COMMISSIONING;
    }

    private async Task<NodeStatus?> ProcessTestingAsync(SignalContext s)
    {
        // The deadline only made sure the machine booted; from here its heartbeats count.
        s.Machine.StatusExpires = null;
        await StoreAsync(s, ResultType.Testing);
        switch (s.Signal.Status)
        {
            case SignalStatus.Ok:
                var enlisting = s.Machine.Enlisting;
                s.Machine.Enlisting = false;
                return NodeTransitions.StatusAfterSuccessfulTesting(s.Machine.PreviousStatus, enlisting);
            case SignalStatus.Failed:
                return NodeStatus.FAILED_TESTING;
            default:
                return null;
        }
    }

    private async Task<NodeStatus?> ProcessCommissioningAsync(SignalContext s)
    {
        var m = s.Machine;
        m.StatusExpires = null;
        await StoreAsync(s, ResultType.Commissioning);
        if (m.NodeType == NodeType.MACHINE && m.Status == COMMISSIONING && m.PowerType != "mscm")
            await StorePowerParametersAsync(s);

        NodeStatus? target = s.Signal.Status switch
        {
            SignalStatus.Ok => READY,
            SignalStatus.Failed => NodeStatus.FAILED_COMMISSIONING,
            SignalStatus.Testing => TESTING,
            _ => null,
        };
        if (m.Enlisting && target is READY or NodeStatus.FAILED_COMMISSIONING)
        {
            m.Enlisting = false;
            if (target == READY)
                target = NEW;
        }

        var sets = await ScriptSetStore.CurrentAsync(s.Connection, s.Transaction, m.Id, s.Ct);
        if (target is NEW or READY or TESTING)
        {
            // Commissioning has ended; a script that failed (or whose output could not be
            // processed) fails it.
            if (sets.Commissioning is { } commissioning && await ScriptResultStore.AnyFailedAsync(s.Connection, s.Transaction, commissioning, s.Ct))
            {
                target = NodeStatus.FAILED_COMMISSIONING;
            }
            else
            {
                if (sets.Commissioning is not null)
                    await CommissioningPassedAsync(s);
                // The disks just recorded get the default layout and the boot interface its
                // subnet, as MAAS does, unless the operator asked commissioning to leave them
                // alone. A layout that does not fit (no disk, disks too small) leaves storage
                // unconfigured for the operator, as in MAAS.
                if (!m.SkipStorage)
                    await DefaultStorageLayout.ApplyAsync(s.Connection, s.Transaction, m.Id, s.Ct);
                if (!m.SkipNetworking)
                    await InitialNetworking.ApplyAsync(s.Connection, s.Transaction, m.Id, s.Ct);
            }
        }

        if (target == NodeStatus.FAILED_COMMISSIONING && sets.Testing is { } testing)
            await ScriptResultStore.AbortPendingAsync(s.Connection, s.Transaction, testing, s.Ct);
        return target;
    }

    private async Task CommissioningPassedAsync(SignalContext s)
    {
        foreach (var processor in _processors)
        {
            await s.Transaction.SaveAsync("commissioning_passed", s.Ct);
            try
            {
                await processor.CommissioningPassedAsync(s.Machine.Id, s.Connection, s.Transaction, s.Ct);
                await s.Transaction.ReleaseAsync("commissioning_passed", s.Ct);
            }
            catch (Exception e) when (e is not OperationCanceledException and not PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                await s.Transaction.RollbackAsync("commissioning_passed", s.Ct);
                MetadataLog.ProcessingFailed(logger, e, s.Machine.SystemId, "(commissioning passed)");
                s.Events.Add(new NodeEvent(EventTypes.SCRIPT_RESULT_ERROR, "Failed to update tags."));
            }
        }
    }

    private static NodeStatus? EnterRescueMode(SignalContext s) => s.Signal.Status switch
    {
        SignalStatus.Ok or SignalStatus.Working => NodeStatus.RESCUE_MODE,
        SignalStatus.Failed => FailOn(s, "Failed to enter rescue mode."),
        _ => null,
    };

    private async Task<NodeStatus?> StoreThenAsync(SignalContext s, ResultType type, Func<NodeStatus?> then)
    {
        await StoreAsync(s, type);
        return then();
    }

    /// <summary>The node finished (OK: the release completes, Ready) or gave up (FAILED: the failed status of its operation).</summary>
    private static NodeStatus? ReleaseOrFail(SignalContext s, string failure)
    {
        if (s.Signal.Status == SignalStatus.Ok)
            s.Events.AddRange(MachineLifecycle.CompleteRelease(s.Machine).Events);
        return FailOn(s, failure);
    }

    private static NodeStatus? FailOn(SignalContext s, string comment)
    {
        if (s.Signal.Status == SignalStatus.Failed)
            s.Events.AddRange(MachineLifecycle.MarkFailed(s.Machine, comment).Events);
        return null;
    }

    /// <summary>
    /// Stores the signal into the node's current set of <paramref name="type"/>; a node that
    /// reports files for a run with no set (e.g. an installation log) gets one.
    /// </summary>
    private async Task StoreAsync(SignalContext s, ResultType type)
    {
        var setId = (await ScriptSetStore.CurrentAsync(s.Connection, s.Transaction, s.Machine.Id, s.Ct)).For(type);
        if (setId is null)
        {
            if (s.Signal.Files.Count == 0)
                return;
            setId = await ScriptSetFactory.CreateEmptyAsync(s.Connection, s.Transaction, s.Machine.Id, type, s.Machine.PowerState, s.Ct);
        }

        var set = await ScriptSetStore.GetAsync(s.Connection, s.Transaction, setId.Value, s.Ct)
            ?? throw new InvalidOperationException($"Script set {setId} vanished under the node's lock.");
        await recorder.StoreAsync(s.Connection, s.Transaction, s.Machine, set, s.Signal, s.Now, s.Events, s.Ct);
    }

    /// <summary>
    /// BMC detection reports the power settings it configured; they are kept while commissioning
    /// (a Redfish machine keeps its driver and merges the new parameters into its own).
    /// </summary>
    private async Task StorePowerParametersAsync(SignalContext s)
    {
        if (s.Signal.PowerType is not { } powerType)
            return;
        var m = s.Machine;
        if (m.PowerType == "redfish")
            powerType = m.PowerType;
        if (powerType.Length > 0 && !power.PowerTypes.Contains(powerType))
            throw new BadRequestException($"Bad power_type '{powerType}'");
        var current = JsonNode.Parse(await MachineWrites.PowerParametersAsync(s.Connection, s.Transaction, m.Id, s.Ct)) as JsonObject ?? [];
        JsonObject parameters;
        if (s.Signal.PowerParameters is { Length: > 0 } text)
        {
            try
            {
                parameters = JsonNode.Parse(text) as JsonObject ?? throw new BadRequestException("Failed to parse JSON power_parameters");
            }
            catch (System.Text.Json.JsonException)
            {
                throw new BadRequestException("Failed to parse JSON power_parameters");
            }

            if (powerType == "redfish")
            {
                foreach (var (name, value) in parameters.ToList())
                    current[name] = value?.DeepClone();
                parameters = current;
            }
        }
        else
        {
            parameters = current;
        }

        await MachineWrites.UpdateColumnsAsync(
            s.Connection, s.Transaction, m.Id, new Dictionary<string, object?> { ["power_type"] = powerType, ["power_parameters"] = parameters.ToJsonString() }, s.Ct);
        m.PowerType = powerType;
    }

    private sealed class SignalContext(NpgsqlConnection c, NpgsqlTransaction tx, Machine machine, SignalRequest signal, DateTimeOffset now, CancellationToken ct)
    {
        public NpgsqlConnection Connection { get; } = c;
        public NpgsqlTransaction Transaction { get; } = tx;
        public Machine Machine { get; } = machine;
        public SignalRequest Signal { get; } = signal;
        public DateTimeOffset Now { get; } = now;
        public CancellationToken Ct { get; } = ct;
        public List<NodeEvent> Events { get; } = [];
    }
}
