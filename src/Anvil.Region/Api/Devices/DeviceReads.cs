using Anvil.Data;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Dapper;

namespace Anvil.Region.Api.Devices;

/// <summary>Devices read for rendering: the shared node views (node_type 1) plus their interfaces' addresses.</summary>
internal static class DeviceReads
{
    public static async Task<IReadOnlyList<DeviceView>> ListAsync(Database db, IReadOnlyList<string>? systemIds, CancellationToken ct) =>
        await db.ReadAsync(
            async c =>
            {
                var nodes = await MachineStore.ListAsync(c, null, new MachineQuery { NodeType = (int)NodeType.DEVICE, SystemIds = systemIds }, ct);
                if (nodes.Count == 0)
                    return (IReadOnlyList<DeviceView>)[];
                var ids = nodes.Select(n => n.Id).ToArray();
                var addresses = (await c.QueryAsync<(long NodeId, string Ip)>(new CommandDefinition(
                        """
                        SELECT i.node_id, host(a.ip) FROM interface i
                        JOIN interface_ip l ON l.interface_id = i.id JOIN staticipaddress a ON a.id = l.staticipaddress_id
                        WHERE i.node_id = ANY(@ids) AND a.ip IS NOT NULL
                        ORDER BY i.id, a.id
                        """,
                        new { ids },
                        cancellationToken: ct)))
                    .ToLookup(a => a.NodeId, a => a.Ip);
                return [.. nodes.Select(n => new DeviceView(n, [.. addresses[n.Id].Distinct(StringComparer.Ordinal)]))];
            },
            ct);

    public static async Task<DeviceView> GetAsync(Database db, string systemId, CancellationToken ct) =>
        (await ListAsync(db, [systemId], ct)).SingleOrDefault() ?? throw NotFound();

    public static NotFoundException NotFound() => new("No Device matches the given query.");
}
