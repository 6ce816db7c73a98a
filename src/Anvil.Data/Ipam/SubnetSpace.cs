using Anvil.Domain.Ipam;
using Npgsql;

namespace Anvil.Data.Ipam;

/// <summary>What decides a subnet's free space, as one transaction sees it at one moment.</summary>
internal sealed record SubnetSpace(
    long Id,
    IpNetwork Cidr,
    IpAddress? Gateway,
    IReadOnlyList<IpAddress> DnsServers,
    IReadOnlyList<IpRange> DynamicRanges,
    IReadOnlyList<IpRange> ReservedRanges,
    IReadOnlyList<IpRange> Used)
{
    public IpRangeSet Free => FreeSpace.Compute(Cidr, Gateway, DnsServers, [.. DynamicRanges, .. ReservedRanges], Used);

    /// <summary>
    /// Reads the subnet, its ranges and its used addresses in one round trip. Used addresses come
    /// back as runs of consecutive addresses (gaps and islands), so a subnet filled from the start
    /// reads as a handful of rows however many addresses it holds. Null when there is no such subnet.
    /// </summary>
    public static async Task<SubnetSpace?> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long subnetId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var sql in (ReadOnlySpan<string>)
                 [
                     "SELECT cidr::text, host(gateway_ip), ARRAY(SELECT host(d) FROM unnest(dns_servers) d) FROM subnet WHERE id = $1",
                     "SELECT type, host(start_ip), host(end_ip) FROM iprange WHERE subnet_id = $1",
                     // Addresses belong to a subnet by subnet_id, as in MAAS; ip - (rank - 1) is the
                     // same for every address of a run of consecutive ones.
                     """
                     SELECT host(min(ip)), host(max(ip))
                     FROM (SELECT ip, ip - (row_number() OVER (PARTITION BY family(ip) ORDER BY ip) - 1) AS run
                           FROM (SELECT DISTINCT ip FROM staticipaddress WHERE subnet_id = $1 AND ip IS NOT NULL) d) r
                     GROUP BY run
                     """,
                 ])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = subnetId });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var cidr = IpNetwork.Parse(reader.GetString(0));
        IpAddress? gateway = reader.IsDBNull(1) ? null : IpAddress.Parse(reader.GetString(1));
        var dnsServers = reader.GetFieldValue<string[]>(2).Select(IpAddress.Parse).ToList();

        await reader.NextResultAsync(ct);
        var dynamic = new List<IpRange>();
        var reserved = new List<IpRange>();
        while (await reader.ReadAsync(ct))
        {
            var range = new IpRange(IpAddress.Parse(reader.GetString(1)), IpAddress.Parse(reader.GetString(2)));
            (reader.GetString(0) == "dynamic" ? dynamic : reserved).Add(range);
        }

        await reader.NextResultAsync(ct);
        var used = new List<IpRange>();
        while (await reader.ReadAsync(ct))
        {
            var first = IpAddress.Parse(reader.GetString(0));
            var last = IpAddress.Parse(reader.GetString(1));
            // A subnet's rows are of its family; rows of the other family would be a foreign run.
            if (first.Family == last.Family)
                used.Add(new IpRange(first, last));
        }

        return new SubnetSpace(subnetId, cidr, gateway, dnsServers, dynamic, reserved, used);
    }
}
