using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Controllers;

/// <summary>The services each controller reports over the link (maas-api.md §3.7 <c>service_set</c>).</summary>
public sealed class ServiceStore(Database db)
{
    /// <summary>MAAS's SERVICE_STATUS values, as the <c>service</c> table's check allows them.</summary>
    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal) { "unknown", "running", "degraded", "dead", "off" };

    private const string Upsert =
        """
        INSERT INTO service (node_id, name, status, status_info, updated)
        SELECT n.id, x.name, x.status, x.info, now()
        FROM node n, unnest(@names, @statuses, @infos) AS x(name, status, info)
        WHERE n.id = @nodeId
        ON CONFLICT (node_id, name) DO UPDATE SET status = EXCLUDED.status, status_info = EXCLUDED.status_info, updated = EXCLUDED.updated
        """;

    public Task ReportAsync(long nodeId, IReadOnlyList<(string Name, string Status, string Info)> services, CancellationToken ct = default) =>
        db.InTransactionAsync((c, tx) => ReportAsync(c, tx, nodeId, services, ct), ct);

    /// <summary>
    /// Records the controller's services in one statement: each reported service is inserted or
    /// updated; services it did not mention keep their last state. An unknown status or a name
    /// given twice refuses the whole report.
    /// </summary>
    public static async Task ReportAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, IReadOnlyList<(string Name, string Status, string Info)> services, CancellationToken ct)
    {
        Validate(services);
        if (services.Count == 0)
            return;
        var written = await c.ExecuteAsync(new CommandDefinition(
            Upsert,
            new
            {
                nodeId,
                names = services.Select(s => s.Name).ToArray(),
                statuses = services.Select(s => s.Status).ToArray(),
                infos = services.Select(s => s.Info ?? "").ToArray(),
            },
            tx,
            cancellationToken: ct));
        if (written == 0)
            throw new NotFoundException($"No node with id {nodeId}.");
    }

    /// <summary>The services of each node, ordered by name.</summary>
    public static async Task<ILookup<long, ServiceRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long[] nodeIds, CancellationToken ct) =>
        (await c.QueryAsync<(long NodeId, string Name, string Status, string Info)>(new CommandDefinition(
            "SELECT node_id, name, status, status_info FROM service WHERE node_id = ANY(@nodeIds) ORDER BY node_id, name",
            new { nodeIds },
            tx,
            cancellationToken: ct)))
        .ToLookup(s => s.NodeId, s => new ServiceRecord(s.Name, s.Status, s.Info));

    private static void Validate(IReadOnlyList<(string Name, string Status, string Info)> services)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, status, _) in services)
        {
            if (string.IsNullOrWhiteSpace(name) || !names.Add(name))
                errors.Add($"Service name '{name}' is empty or reported twice.");
            if (!Statuses.Contains(status))
                errors.Add($"Service {name} has status '{status}'; expected one of: {string.Join(", ", Statuses)}.");
        }

        if (errors.Count > 0)
            throw new ValidationException(new Dictionary<string, IReadOnlyList<string>> { ["services"] = errors });
    }
}
