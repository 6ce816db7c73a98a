using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Racks;

/// <summary>The services a rack reports over the link (maas-api.md §3.7 <c>service_set</c>), upserted in one statement.</summary>
public static class RackServices
{
    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal) { "unknown", "running", "degraded", "dead", "off" };

    public static async Task ReportAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, string systemId, IReadOnlyList<(string Name, string Status, string Info)> services, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var service in services)
        {
            if (!Statuses.Contains(service.Status))
                throw new ValidationException("status", $"'{service.Status}' is not a service status (unknown, running, degraded, dead, off).");
            if (string.IsNullOrWhiteSpace(service.Name))
                throw new ValidationException("name", "A service needs a name.");
        }

        var updated = await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO service (node_id, name, status, status_info, updated)
            SELECT n.id, s.name, s.status, s.info, @now FROM node n,
                   unnest(@names::text[], @statuses::text[], @infos::text[]) AS s(name, status, info)
            WHERE n.system_id = @systemId AND n.node_type IN (2, 4)
            ON CONFLICT (node_id, name) DO UPDATE SET status = EXCLUDED.status, status_info = EXCLUDED.status_info, updated = EXCLUDED.updated
            """,
            new
            {
                systemId,
                now,
                names = services.Select(s => s.Name).ToArray(),
                statuses = services.Select(s => s.Status).ToArray(),
                infos = services.Select(s => s.Info).ToArray(),
            },
            tx,
            cancellationToken: ct));
        if (updated == 0 && services.Count > 0)
            throw new NotFoundException($"No rack controller with system_id {systemId}.");
    }
}
