using Anvil.Domain.Machines;
using Dapper;
using Npgsql;

namespace Anvil.Data.Power;

/// <summary>
/// Power state bookkeeping. Recording a state is one statement (seed 001: MAAS went from 11
/// queries to 1); a test counts them.
/// </summary>
public static class PowerStates
{
    /// <summary>
    /// Records what a BMC reported; an older report never overwrites a newer one. Returns the
    /// node's status (some statuses wait for a power change), or null when nothing was recorded:
    /// no node has the system_id, or a newer report is already there.
    /// </summary>
    public static async Task<NodeStatus?> RecordAsync(NpgsqlConnection c, string systemId, string state, DateTimeOffset at, CancellationToken ct) =>
        (NodeStatus?)await c.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            """
            UPDATE node SET power_state = @state, power_state_updated = @at
            WHERE system_id = @systemId AND (power_state_updated IS NULL OR power_state_updated <= @at)
            RETURNING status
            """,
            new { systemId, state, at = at.UtcDateTime },
            cancellationToken: ct));

    /// <summary>Machines whose power state a poller should read: the given (queryable) power types, longest unread first.</summary>
    public static async Task<IReadOnlyList<PollTarget>> PollTargetsAsync(NpgsqlConnection c, IReadOnlyCollection<string> powerTypes, CancellationToken ct) =>
        [.. await c.QueryAsync<PollTarget>(new CommandDefinition(
            """
            SELECT system_id AS SystemId, power_type AS PowerType,
                   power_type || ':' || coalesce(power_parameters->>'power_address', power_parameters->>'power_query_uri', system_id) AS Bmc
            FROM node WHERE node_type = 0 AND power_type = ANY(@types)
            ORDER BY power_state_updated NULLS FIRST, id
            """,
            new { types = powerTypes.ToArray() },
            cancellationToken: ct))];

    /// <summary>What the region needs to drive a machine's BMC: its power type, parameters (secrets included: region-internal), and racks that can reach the BMC's address, best first.</summary>
    public static async Task<PowerTarget?> TargetAsync(NpgsqlConnection c, string systemId, CancellationToken ct)
    {
        var node = await c.QuerySingleOrDefaultAsync<(long Id, string PowerType, string Parameters)?>(new CommandDefinition(
            "SELECT id, power_type, power_parameters::text FROM node WHERE system_id = @systemId", new { systemId }, cancellationToken: ct));
        if (node is not { } found)
            return null;
        var parameters = System.Text.Json.Nodes.JsonNode.Parse(found.Parameters);
        var address = parameters?["power_address"]?.GetValue<string>();
        var racks = System.Net.IPAddress.TryParse(address, out _)
            ? (await c.QueryAsync<string>(new CommandDefinition(
                """
                SELECT DISTINCT n.system_id FROM node n JOIN interface i ON i.node_id = n.id JOIN interface_ip l ON l.interface_id = i.id
                JOIN staticipaddress a ON a.id = l.staticipaddress_id JOIN subnet s ON s.id = a.subnet_id
                WHERE n.node_type IN (2, 4) AND s.cidr >>= @address::inet
                """,
                new { address },
                cancellationToken: ct))).ToList()
            : [];
        var bmc = $"{found.PowerType}:{address ?? parameters?["power_query_uri"]?.GetValue<string>() ?? systemId}";
        return new PowerTarget(found.Id, found.PowerType, found.Parameters, racks, bmc);
    }
}

/// <summary>A machine to poll, and the BMC it shares with others (power type + address), so one BMC is never asked twice at once.</summary>
public sealed record PollTarget(string SystemId, string PowerType, string Bmc);

/// <summary>
/// A machine's BMC as the region drives it; <see cref="NearRacks"/> share a subnet with the BMC's
/// address; <see cref="Bmc"/> names the BMC as <see cref="PollTarget.Bmc"/> does (power type + address).
/// </summary>
public sealed record PowerTarget(long NodeId, string PowerType, string ParametersJson, IReadOnlyList<string> NearRacks, string Bmc);
