using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Npgsql;

namespace Anvil.Data.Leases;

/// <summary>
/// Applies DHCP lease notifications (maas-api.md §11.1 rules 1–6) in one transaction per batch,
/// in two round trips whatever its size: one takes the lock and reads the subnets and which of
/// the batch's MACs are known, the other writes the whole <see cref="LeasePlan"/> set-based
/// (<see cref="LeaseStatements"/>). Batches are serialised by a transaction-scoped advisory lock:
/// two racks reporting the same MAC at once would otherwise both create its unknown interface,
/// and leases of one client must be applied in the order they happened. The tables' DNS triggers
/// (0004_dns.sql) tell the DNS publisher about the names lease processing links or unlinks.
/// </summary>
public static class LeaseProcessor
{
    /// <summary>"AnvilLea": held from the start of a batch to its commit.</summary>
    private const long BatchLock = 0x416E_7669_6C4C_6561;

    public static Task<LeaseBatchResult> ApplyBatchAsync(Database db, IReadOnlyList<LeaseEvent> events, CancellationToken ct = default) =>
        db.InTransactionAsync((c, tx) => ApplyBatchAsync(c, tx, events, ct), ct);

    /// <summary>Applies the batch in the caller's transaction, with the effect of applying its events in order; the caller commits.</summary>
    public static async Task<LeaseBatchResult> ApplyBatchAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<LeaseEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
            return new LeaseBatchResult(0, 0, []);
        var (subnets, knownMacs) = await LockAndLoadAsync(c, tx, events, ct);
        var plan = LeasePlan.Make(events, subnets, knownMacs);
        await using var batch = new NpgsqlBatch(c, tx);
        LeaseStatements.AddTo(batch, plan);
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(ct);
        return new LeaseBatchResult(plan.Applied, plan.Ignored, plan.Errors);
    }

    private static async Task<(IReadOnlyList<LeaseSubnet> Subnets, IReadOnlySet<string> KnownMacs)> LockAndLoadAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<LeaseEvent> events, CancellationToken ct)
    {
        var macs = events.Select(e => LeaseRules.NormaliseMac(e.Mac)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(c, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)") { Parameters = { new NpgsqlParameter<long>("key", BatchLock) } },
                new NpgsqlBatchCommand("SELECT id, vlan_id, cidr::text FROM subnet"),
                new NpgsqlBatchCommand("SELECT subnet_id, host(start_ip), host(end_ip) FROM iprange WHERE type = 'dynamic'"),
                new NpgsqlBatchCommand("SELECT DISTINCT mac_address::text FROM interface WHERE mac_address = ANY(@macs::macaddr[])")
                {
                    Parameters = { new NpgsqlParameter<string[]>("macs", macs) },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var rows = new List<(long Id, long VlanId, string Cidr)>();
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        await reader.NextResultAsync(ct);
        var ranges = new List<(long SubnetId, IpRange Range)>();
        while (await reader.ReadAsync(ct))
            ranges.Add((reader.GetInt64(0), new IpRange(IpAddress.Parse(reader.GetString(1)), IpAddress.Parse(reader.GetString(2)))));
        await reader.NextResultAsync(ct);
        var known = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            known.Add(reader.GetString(0));
        var bySubnet = ranges.ToLookup(r => r.SubnetId, r => r.Range);
        return ([.. rows.Select(s => new LeaseSubnet(s.Id, s.VlanId, IpNetwork.Parse(s.Cidr), [.. bySubnet[s.Id]]))], known);
    }
}
