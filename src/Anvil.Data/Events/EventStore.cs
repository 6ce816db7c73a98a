using Anvil.Domain.Events;
using Anvil.Domain.Users;
using Dapper;
using Npgsql;

namespace Anvil.Data.Events;

/// <summary>Node and audit events, written in the transaction of the change they describe.</summary>
public static class EventStore
{
    /// <summary>
    /// Records an event. INFO-and-above events about a node also become its status_message, so
    /// listings show what a machine is doing without scanning the event table.
    /// </summary>
    public static async Task RecordAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long? nodeId, NodeEvent e, Actor? actor, CancellationToken ct)
    {
        var type = EventTypes.Get(e.Type);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO event (type, level, node_id, node_system_id, node_hostname, user_id, username, action, description)
            SELECT @type, @level, @nodeId, n.system_id, coalesce(n.hostname, ''), @userId, @username, @action, @description
            FROM (SELECT 1) AS one LEFT JOIN node n ON n.id = @nodeId
            """,
            new
            {
                type = type.Name,
                level = (int)type.Level,
                nodeId,
                userId = actor?.UserId,
                username = actor?.Username ?? "",
                action = e.Action,
                description = e.Description,
            },
            tx,
            cancellationToken: ct));
        if (nodeId is not null && type.Level >= EventLevel.INFO)
        {
            var message = string.IsNullOrEmpty(e.Description) ? type.Description : $"{type.Description} - {e.Description}";
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE node SET status_message = @message, status_action = @action WHERE id = @nodeId",
                new { nodeId, message, action = e.Action },
                tx,
                cancellationToken: ct));
        }
    }

    public static async Task RecordAllAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long? nodeId, IEnumerable<NodeEvent> events, Actor? actor, CancellationToken ct)
    {
        foreach (var e in events)
            await RecordAsync(c, tx, nodeId, e, actor, ct);
    }

    public static async Task<IReadOnlyList<EventRow>> QueryAsync(NpgsqlConnection c, EventFilter f, CancellationToken ct)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        if (f.Level == EventLevel.AUDIT)
        {
            where.Add("e.level = 0");
        }
        else
        {
            where.Add("e.level >= @level");
            args.Add("level", (int)f.Level);
        }

        AddAny(where, args, "e.node_hostname", "hostnames", f.Hostnames);
        AddAny(where, args, "e.node_system_id", "systemIds", f.SystemIds);
        if (f.MacAddresses is { Count: > 0 })
        {
            where.Add("e.node_id IN (SELECT node_id FROM interface WHERE mac_address::text = ANY(@macs))");
            args.Add("macs", f.MacAddresses.Select(m => m.ToLowerInvariant()).ToArray());
        }

        if (f.Domains is { Count: > 0 })
        {
            where.Add("e.node_id IN (SELECT n.id FROM node n JOIN domain d ON d.id = n.domain_id WHERE d.name = ANY(@domains))");
            args.Add("domains", f.Domains.ToArray());
        }

        if (f.Zone is not null)
        {
            where.Add("e.node_id IN (SELECT n.id FROM node n JOIN zone z ON z.id = n.zone_id WHERE z.name = @zone)");
            args.Add("zone", f.Zone);
        }

        if (f.Pool is not null)
        {
            where.Add("e.node_id IN (SELECT n.id FROM node n JOIN resource_pool p ON p.id = n.pool_id WHERE p.name = @pool)");
            args.Add("pool", f.Pool);
        }

        if (f.AgentName is not null)
        {
            where.Add("e.node_id IN (SELECT id FROM node WHERE agent_name = @agentName)");
            args.Add("agentName", f.AgentName);
        }

        if (f.Owner is not null)
        {
            where.Add("e.username = @owner");
            args.Add("owner", f.Owner);
        }

        if (f.VisibleToUserId is { } viewer)
        {
            // Non-admins see events of nodes they may view (all machines) and their own audit trail.
            where.Add("(e.level > 0 OR e.user_id = @viewer)");
            args.Add("viewer", viewer);
        }

        // Devices' events are not shown, as in MAAS.
        where.Add("NOT EXISTS (SELECT 1 FROM node dn WHERE dn.id = e.node_id AND dn.node_type = 1)");

        string order;
        if (f.After is { } after)
        {
            where.Add("e.id > @after");
            args.Add("after", after);
            order = "ORDER BY e.id ASC";
        }
        else
        {
            if (f.Before is { } before)
            {
                where.Add("e.id < @before");
                args.Add("before", before);
            }

            order = "ORDER BY e.id DESC";
        }

        args.Add("limit", f.Limit);
        var sql = $"""
            SELECT e.id, e.type, e.level, e.node_system_id, e.node_hostname, e.username, e.action, e.description, e.created
            FROM event e WHERE {string.Join(" AND ", where)} {order} LIMIT @limit
            """;
        var rows = (await c.QueryAsync<EventRow>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
        if (f.After is not null)
            rows.Reverse(); // always newest first
        return rows;
    }

    private static void AddAny(List<string> where, DynamicParameters args, string column, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
            return;
        where.Add($"{column} = ANY(@{name})");
        args.Add(name, values.ToArray());
    }
}

public sealed record EventFilter
{
    public EventLevel Level { get; init; } = EventLevel.INFO;
    public IReadOnlyList<string>? Hostnames { get; init; }
    public IReadOnlyList<string>? MacAddresses { get; init; }
    public IReadOnlyList<string>? SystemIds { get; init; }
    public IReadOnlyList<string>? Domains { get; init; }
    public string? Zone { get; init; }
    public string? Pool { get; init; }
    public string? AgentName { get; init; }
    public string? Owner { get; init; }
    public long? After { get; init; }
    public long? Before { get; init; }
    public int Limit { get; init; } = 100;
    /// <summary>Set for non-admins: hides other users' audit events.</summary>
    public long? VisibleToUserId { get; init; }
}

public sealed class EventRow
{
    public long Id { get; set; }
    public string Type { get; set; } = "";
    public int Level { get; set; }
    public string? NodeSystemId { get; set; }
    public string NodeHostname { get; set; } = "";
    public string Username { get; set; } = "";
    public string Action { get; set; } = "";
    public string Description { get; set; } = "";
    public DateTimeOffset Created { get; set; }
}
