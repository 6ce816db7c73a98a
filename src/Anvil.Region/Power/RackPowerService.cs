using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Power;
using Anvil.Data.Timeline;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Domain.Power;
using Anvil.Region.RackLink;
using Anvil.Region.Timeline;
using Anvil.Rpc;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Power;

/// <summary>
/// Power through the racks: a request goes, over the rack's own link, to a connected rack on the
/// BMC's subnet (else any connected rack), which runs the driver; the state the rack reports is
/// recorded in one statement. <c>manual</c> never leaves the region: the operator acts.
/// <para>
/// One BMC never has two requests in flight from this region (<see cref="BmcLocks"/>). The racks
/// share the work (<see cref="RackChoice"/>), and polls take at most
/// <see cref="PowerPollerOptions.MaxQueriesPerRack"/> of a rack at once. A failed power change is
/// recorded on the machine as an event with the reason and leaves its state <c>error</c>; the
/// request that asked for it (a lifecycle operation, power_on …) still succeeds, as in MAAS, where
/// the change happens after the API call and failures show as events.
/// </para>
/// </summary>
internal sealed partial class RackPowerService(
    Database db, RackConnections racks, TimeProvider clock, PowerPollerOptions options, BootTimeline timeline, ILogger<RackPowerService> logger) : IPowerService
{
    private readonly BmcLocks bmcs = new();
    private readonly Dictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> pollSlots = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> PowerTypes { get; } = [.. PowerDrivers.All.Keys.Order(StringComparer.Ordinal)];

    public bool CanQuery(string powerType) => PowerDrivers.All.TryGetValue(powerType, out var driver) && driver.Queryable;

    public async Task ExecuteAsync(string systemId, string powerType, PowerRequest request, CancellationToken cancellationToken)
    {
        if (!CanQuery(powerType))
            return;
        var action = request switch
        {
            PowerRequest.On => "on",
            PowerRequest.Off or PowerRequest.SoftOff => "off",
            PowerRequest.Cycle => "cycle",
            _ => null,
        };
        if (action is null)
            return;
        var target = await TargetAsync(systemId, cancellationToken);
        var outcome = await CallAsync(systemId, target, action, poll: false, cancellationToken);
        timeline.Record(new BootEventRow(
            clock.GetUtcNow(), "power", action, outcome.Failure is { } failed ? $"failed: {failed}" : $"now {outcome.State}", NodeId: target.NodeId, Source: "region"));
        if (outcome.Failure is { } reason)
            await RecordFailureAsync(systemId, target.NodeId, action, reason, cancellationToken);
    }

    public async Task<string> QueryAsync(string systemId, string powerType, CancellationToken cancellationToken) =>
        CanQuery(powerType) ? await QueryOrThrowAsync(systemId, poll: false, cancellationToken) : Domain.Machines.PowerState.Unknown;

    public async Task<string> PollAsync(string systemId, string powerType, CancellationToken cancellationToken) =>
        CanQuery(powerType) ? await QueryOrThrowAsync(systemId, poll: true, cancellationToken) : Domain.Machines.PowerState.Unknown;

    private async Task<string> QueryOrThrowAsync(string systemId, bool poll, CancellationToken ct)
    {
        var outcome = await CallAsync(systemId, await TargetAsync(systemId, ct), "query", poll, ct);
        return outcome.Failure is { } reason ? throw new UnavailableException($"Power query failed: {reason}") : outcome.State!;
    }

    private async Task<PowerTarget> TargetAsync(string systemId, CancellationToken ct) =>
        await db.ReadAsync(c => PowerStates.TargetAsync(c, systemId, ct), ct) ?? throw new NotFoundException($"No node with system_id {systemId}.");

    /// <summary>Runs one action at the BMC through a rack and records the state; a failure comes back as an operator-readable reason.</summary>
    private async Task<(string? State, string? Failure)> CallAsync(string systemId, PowerTarget target, string action, bool poll, CancellationToken ct)
    {
        var parameters = (JsonNode.Parse(target.ParametersJson) as JsonObject ?? [])
            .Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);
        using var bmc = await bmcs.AcquireAsync(target.Bmc, ct);
        var near = target.NearRacks.Where(racks.IsConnected).ToList();
        var candidates = near.Count > 0 ? near : racks.ConnectedRacks;
        if (candidates.Count == 0)
        {
            await RecordAsync(systemId, Domain.Machines.PowerState.Error, ct);
            return (null, "no rack controller is connected to this region to reach the BMC");
        }

        string rack;
        SemaphoreSlim? slot = null;
        lock (inFlight)
        {
            rack = RackChoice.Pick(target.Bmc, candidates, r => inFlight.GetValueOrDefault(r), options.MaxQueriesPerRack);
            if (poll && !pollSlots.TryGetValue(rack, out slot))
                pollSlots[rack] = slot = new SemaphoreSlim(options.MaxQueriesPerRack);
        }

        if (slot is not null)
            await slot.WaitAsync(ct);
        lock (inFlight)
            inFlight[rack] = inFlight.GetValueOrDefault(rack) + 1;
        try
        {
            var answer = await racks.CallAsync<Rpc.Contracts.PowerResponse>(rack, LinkMethods.Power, new Rpc.Contracts.PowerRequest(systemId, action, target.PowerType, parameters), ct);
            await RecordAsync(systemId, answer.State, ct);
            return (answer.State, null);
        }
        catch (LinkCallException e) when (e.Error.Kind.StartsWith("power_", StringComparison.Ordinal))
        {
            await RecordAsync(systemId, Domain.Machines.PowerState.Error, ct);
            return (null, $"{Reason(e.Error.Kind)} ({e.Error.Message})");
        }
        catch (LinkException e)
        {
            await RecordAsync(systemId, Domain.Machines.PowerState.Error, ct);
            return (null, $"the rack controller did not answer ({e.Message})");
        }
        finally
        {
            lock (inFlight)
                inFlight[rack]--;
            slot?.Release();
        }
    }

    /// <summary>The failure kinds the rack reports (<c>power_&lt;kind&gt;</c>) as an operator reads them.</summary>
    private static string Reason(string kind) => kind switch
    {
        "power_authentication_failed" => "BMC authentication failed",
        "power_unreachable" => "BMC unreachable",
        "power_protocol_error" => "BMC protocol error",
        "power_not_supported" => "not supported by the BMC or its driver",
        "power_invalid_parameters" => "invalid power parameters",
        "power_state_not_reached" => "BMC did not reach the requested state",
        _ => kind,
    };

    private async Task RecordFailureAsync(string systemId, long nodeId, string action, string reason, CancellationToken ct)
    {
        var verb = action == "cycle" ? "cycle" : action;
        ActionFailed(logger, systemId, verb, reason);
        var type = action == "off" ? EventTypes.NODE_POWER_OFF_FAILED : EventTypes.NODE_POWER_ON_FAILED;
        await db.InTransactionAsync(
            (c, tx) => EventStore.RecordAsync(c, tx, nodeId, new NodeEvent(type, $"Failed to power {verb}: {reason}"), null, ct), ct);
    }

    /// <summary>
    /// Records the state in one statement; only when the machine waits for a power change
    /// (releasing, leaving rescue mode) does a second transaction let the lifecycle act on it.
    /// </summary>
    private async Task RecordAsync(string systemId, string state, CancellationToken ct)
    {
        var status = await db.ReadAsync(c => PowerStates.RecordAsync(c, systemId, state, clock.GetUtcNow(), ct), ct);
        if (status is NodeStatus.RELEASING or NodeStatus.EXITING_RESCUE_MODE)
            await PowerObservation.ApplyAsync(db, systemId, state, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Power {Action} of {SystemId} failed: {Reason}")]
    private static partial void ActionFailed(ILogger logger, string systemId, string action, string reason);
}
