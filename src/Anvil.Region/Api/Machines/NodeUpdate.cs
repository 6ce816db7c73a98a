using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Data.Zones;
using Anvil.Domain.Events;
using Anvil.Domain.Users;
using Anvil.Region.Api.Framework;
using Dapper;
using Npgsql;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// What updating any node shares — hostname, description, domain and zone read into column
/// values with MAAS's field errors, and the write with its audit event — so machines and devices
/// validate these fields the same way.
/// </summary>
internal static class NodeUpdate
{
    /// <summary>Reads the shared fields present in the request; a taken hostname is a field error.</summary>
    public static async Task ReadCommonAsync(
        ApiRequest r, NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, Dictionary<string, object?> columns, FieldErrors errors)
    {
        errors.Try(() =>
        {
            if (r.String("hostname") is { } hostname)
                columns["hostname"] = MachineFields.Hostname(hostname);
        });
        if (columns.TryGetValue("hostname", out var newHostname) &&
            await MachineWrites.HostnameTakenAsync(c, tx, (string)newHostname!, nodeId, r.Aborted))
            errors.Add("hostname", $"Node with hostname \"{newHostname}\" already exists.");
        await ReadPlacementAsync(r, c, tx, columns, errors, withDomain: true);
    }

    /// <summary>Reads <c>description</c>, <c>zone</c> and (when the node has one to change) <c>domain</c>.</summary>
    public static async Task ReadPlacementAsync(
        ApiRequest r, NpgsqlConnection c, NpgsqlTransaction tx, Dictionary<string, object?> columns, FieldErrors errors, bool withDomain)
    {
        if (r.String("description") is { } description)
            columns["description"] = description;
        if (withDomain && r.String("domain") is { } domainName)
        {
            var domainId = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM domain WHERE name = @domainName", new { domainName }, tx, cancellationToken: r.Aborted));
            if (domainId is null)
                errors.Add("domain", $"Select a valid choice. {domainName} is not one of the available choices.");
            else
                columns["domain_id"] = domainId;
        }

        if (r.String("zone") is { } zoneName)
        {
            if (await NamedEntityStore.Zones(r.Service<Anvil.Data.Database>()).FindAsync(c, tx, zoneName, r.Aborted) is { } zone)
                columns["zone_id"] = zone.Id;
            else
                errors.Add("zone", $"Select a valid choice. {zoneName} is not one of the available choices.");
        }
    }

    /// <summary>
    /// Reads <c>power_type</c> (one of the region's power types) and <c>power_parameters_*</c> merged over
    /// the stored ones, checked against the driver's required fields and choices unless
    /// <c>power_parameters_skip_check=true</c> (see <see cref="MachineFields.CheckedPowerParameters"/>).
    /// </summary>
    public static async Task ReadPowerAsync(
        ApiRequest r, NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, Dictionary<string, object?> columns, FieldErrors errors)
    {
        var power = r.Service<Anvil.Region.Power.IPowerService>();
        var powerType = r.String("power_type");
        if (powerType is not null)
        {
            if (powerType.Length > 0 && !power.PowerTypes.Contains(powerType))
                errors.Add("power_type", $"'{powerType}' is not a valid power type. Valid types are: {string.Join(", ", power.PowerTypes)}.");
            columns["power_type"] = powerType;
        }

        powerType ??= await c.QuerySingleAsync<string>(new CommandDefinition("SELECT power_type FROM node WHERE id = @nodeId", new { nodeId }, tx, cancellationToken: r.Aborted));
        if (powerType.Length > 0 && !power.PowerTypes.Contains(powerType))
            return;
        var current = System.Text.Json.Nodes.JsonNode.Parse(await MachineWrites.PowerParametersAsync(c, tx, nodeId, r.Aborted)) as System.Text.Json.Nodes.JsonObject;
        errors.Try(() =>
        {
            if (MachineFields.CheckedPowerParameters(r, powerType, current) is { } parameters)
                columns["power_parameters"] = parameters.ToJsonString();
        });
    }

    /// <summary>Writes the columns and records who changed which fields.</summary>
    public static async Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, Dictionary<string, object?> columns, Actor actor, CancellationToken ct)
    {
        await MachineWrites.UpdateColumnsAsync(c, tx, nodeId, columns, ct);
        var fields = string.Join(", ", columns.Keys.Order(StringComparer.Ordinal));
        await EventStore.RecordAsync(c, tx, nodeId, new NodeEvent(EventTypes.NODE, $"Updated {fields}.", "update"), actor, ct);
    }
}
