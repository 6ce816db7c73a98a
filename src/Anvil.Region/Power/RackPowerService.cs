using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Power;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Power;
using Anvil.Region.RackLink;
using Anvil.Rpc;

namespace Anvil.Region.Power;

/// <summary>
/// Power through the racks: a request goes, over the rack's own link, to a connected rack on the
/// BMC's subnet (else any connected rack), which runs the driver; the state the rack reports is
/// recorded in one statement. <c>manual</c> never leaves the region: the operator acts.
/// </summary>
internal sealed class RackPowerService(Database db, RackConnections racks, TimeProvider clock) : IPowerService
{
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
        if (action is not null)
            await RunAsync(systemId, action, cancellationToken);
    }

    public async Task<string> QueryAsync(string systemId, string powerType, CancellationToken cancellationToken) =>
        CanQuery(powerType) ? await RunAsync(systemId, "query", cancellationToken) : Domain.Machines.PowerState.Unknown;

    private async Task<string> RunAsync(string systemId, string action, CancellationToken ct)
    {
        var target = await db.ReadAsync(c => PowerStates.TargetAsync(c, systemId, ct), ct)
            ?? throw new NotFoundException($"No node with system_id {systemId}.");
        var parameters = (JsonNode.Parse(target.ParametersJson) as JsonObject ?? [])
            .Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);
        var rack = target.NearRacks.FirstOrDefault(racks.IsConnected) ?? (racks.ConnectedRacks is [var any, ..] ? any : null)
            ?? throw new UnavailableException("No rack controller is connected to this region to reach the BMC.");
        Rpc.Contracts.PowerResponse answer;
        try
        {
            answer = await racks.CallAsync<Rpc.Contracts.PowerResponse>(rack, LinkMethods.Power, new Rpc.Contracts.PowerRequest(systemId, action, target.PowerType, parameters), ct);
        }
        catch (LinkCallException e) when (e.Error.Kind.StartsWith("power_", StringComparison.Ordinal))
        {
            await RecordAsync(systemId, Domain.Machines.PowerState.Error, ct);
            throw new UnavailableException($"Power {action} failed: {e.Error.Message}");
        }

        await RecordAsync(systemId, answer.State, ct);
        return answer.State;
    }

    private Task<bool> RecordAsync(string systemId, string state, CancellationToken ct) =>
        db.ReadAsync(c => PowerStates.RecordAsync(c, systemId, state, clock.GetUtcNow(), ct), ct);
}
