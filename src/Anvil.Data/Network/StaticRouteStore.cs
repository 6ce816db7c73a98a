using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Data.Network;

public sealed record StaticRouteRecord(long Id, long SourceId, long DestinationId, string GatewayIp, int Metric);

/// <summary>Static routes between subnets; (source, destination, gateway) is unique and deleting either subnet deletes the route.</summary>
public static class StaticRouteStore
{
    private const string Select = "SELECT id, source_id, destination_id, host(gateway_ip) AS gateway_ip, metric FROM staticroute";

    public static async Task<IReadOnlyList<StaticRouteRecord>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<StaticRouteRecord>(new CommandDefinition($"{Select} ORDER BY id", transaction: tx, cancellationToken: ct))).AsList();

    public static Task<StaticRouteRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<StaticRouteRecord?>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static async Task<StaticRouteRecord> CreateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long sourceId, long destinationId, string gatewayIp, int metric, CancellationToken ct)
    {
        var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            INSERT INTO staticroute (source_id, destination_id, gateway_ip, metric) VALUES (@sourceId, @destinationId, @gatewayIp::inet, @metric)
            ON CONFLICT (source_id, destination_id, gateway_ip) DO NOTHING RETURNING id
            """,
            new { sourceId, destinationId, gatewayIp, metric },
            tx,
            cancellationToken: ct)) ?? throw Duplicate();
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static async Task<StaticRouteRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, long sourceId, long destinationId, string gatewayIp, int metric, CancellationToken ct)
    {
        var taken = await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM staticroute
                           WHERE source_id = @sourceId AND destination_id = @destinationId AND gateway_ip = @gatewayIp::inet AND id <> @id)
            """,
            new { id, sourceId, destinationId, gatewayIp },
            tx,
            cancellationToken: ct));
        if (taken)
            throw Duplicate();
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE staticroute SET source_id = @sourceId, destination_id = @destinationId, gateway_ip = @gatewayIp::inet, metric = @metric, updated = now()
            WHERE id = @id
            """,
            new { id, sourceId, destinationId, gatewayIp, metric },
            tx,
            cancellationToken: ct));
        return (await FindAsync(c, tx, id, ct))!;
    }

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM staticroute WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private static ValidationException Duplicate() =>
        new("__all__", "Static route with this Source, Destination and Gateway ip already exists.");
}
