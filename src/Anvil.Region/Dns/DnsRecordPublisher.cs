using System.Diagnostics;
using System.Net;
using Anvil.Dns.Client;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Anvil.Domain.Dns;
using Microsoft.Extensions.Logging;

namespace Anvil.Region.Dns;

/// <summary>
/// Sends every server the difference between the plan and what it holds, zone by zone, as
/// TSIG-signed RFC 2136 UPDATEs over TCP (many records per message; the client splits at the
/// 64 KiB limit). Only the region holding the DNS lock calls this.
/// </summary>
internal sealed partial class DnsRecordPublisher(DnsOptions options, TimeProvider clock, ILogger<DnsRecordPublisher> logger)
{
    private readonly Dictionary<string, DnsServerState> servers = new(StringComparer.Ordinal);

    /// <summary>Forgets every server's state: after a takeover nothing remembered is trusted.</summary>
    public void Reset() => servers.Clear();

    public bool AnyFailed => servers.Values.Any(s => s.Failed);

    public async Task<DnsPublishResult> PublishAsync(DnsPlan plan, TsigKey key, IReadOnlyList<string> endpoints, CancellationToken ct)
    {
        foreach (var gone in servers.Keys.Except(endpoints, StringComparer.Ordinal).ToList())
            servers.Remove(gone);

        var nameServer = NameServer(plan);
        var records = new ZoneRecords(nameServer, options.NameServerAddresses);
        var desired = plan.Zones.ToDictionary(z => z.Name, z => records.Desired(z, RecordSkipped), StringComparer.OrdinalIgnoreCase);
        int added = 0, deleted = 0, messages = 0, transferred = 0;
        var failed = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (!servers.TryGetValue(endpoint, out var server))
            {
                if (!IPEndPoint.TryParse(endpoint, out var parsed))
                    continue;
                servers[endpoint] = server = new DnsServerState(parsed);
            }

            if (clock.GetUtcNow() >= server.ReadBackAt)
            {
                server.Zones.Clear();
                server.ReadBackAt = clock.GetUtcNow() + options.ReconcileInterval;
            }

            try
            {
                var sw = Stopwatch.StartNew();
                var (a, d, m, t) = await PublishToAsync(server, records, desired, key, ct);
                added += a;
                deleted += d;
                messages += m;
                transferred += t;
                server.Failed = false;
                if (a + d > 0)
                    Published(logger, endpoint, a, d, m, sw.Elapsed.TotalMilliseconds);
            }
            catch (Exception e) when (e is DnsServerException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                server.Forget();
                failed.Add(endpoint);
                ServerFailed(logger, endpoint, e.Message);
            }
        }

        return new DnsPublishResult(added, deleted, messages, transferred, failed);
    }

    /// <summary>The zones' NS name: this region's name server host in the default domain.</summary>
    public string NameServer(DnsPlan plan)
    {
        var defaultZone = plan.Zones.FirstOrDefault(z => z.Kind == DnsZoneKind.Forward)?.Name ?? "maas";
        return $"{options.NameServerHost}.{defaultZone}".ToLowerInvariant();
    }

    private async Task<(int Added, int Deleted, int Messages, int Transferred)> PublishToAsync(
        DnsServerState server, ZoneRecords records, Dictionary<string, HashSet<DnsRecord>> desired, TsigKey key, CancellationToken ct)
    {
        foreach (var gone in server.Zones.Keys.Except(desired.Keys, StringComparer.OrdinalIgnoreCase).ToList())
            server.Zones.Remove(gone);

        int added = 0, deleted = 0, messages = 0, transferred = 0;
        var updates = new DnsUpdateClient(server.Endpoint, key, options.ExchangeTimeout);
        foreach (var (zone, want) in desired)
        {
            if (!server.Zones.TryGetValue(zone, out var known))
            {
                var axfr = new ZoneTransferClient(server.Endpoint, key, options.ExchangeTimeout);
                known = records.Known(zone, await axfr.TransferAsync(zone, ct));
                transferred++;
            }

            var changes = ZoneDiff.Compute(known, want);
            var applied = want;
            if (changes.Count > 0)
            {
                try
                {
                    messages += await updates.UpdateAsync(zone, changes, ct);
                }
                catch (DnsUpdateException e) when (e.Failure == DnsFailure.Rejected)
                {
                    // BIND refused a message whole because of some record in it (SERVFAIL over a
                    // limit, REFUSED for a dangling MX...). Send the changes one by one so that
                    // the rest get through, and report the ones it will not take.
                    (applied, var sent) = await OneByOneAsync(updates, server, zone, known, want, changes, ct);
                    messages += sent;
                }

                added += changes.Count(c => c.Action == DnsUpdateAction.Add);
                deleted += changes.Count(c => c.Action == DnsUpdateAction.Delete);
            }

            server.Zones[zone] = [.. applied];
        }

        return (added, deleted, messages, transferred);
    }

    private async Task<(HashSet<DnsRecord> Holds, int Messages)> OneByOneAsync(
        DnsUpdateClient updates, DnsServerState server, string zone, HashSet<DnsRecord> known, HashSet<DnsRecord> want, IReadOnlyList<DnsUpdate> changes, CancellationToken ct)
    {
        var holds = new HashSet<DnsRecord>(known);
        var messages = 0;
        foreach (var change in changes)
        {
            try
            {
                messages += await updates.UpdateAsync(zone, [change], ct);
                if (change.Action == DnsUpdateAction.Add)
                    holds.Add(change.Record);
                else
                    holds.Remove(change.Record);
            }
            catch (DnsUpdateException e) when (e.Failure == DnsFailure.Rejected)
            {
                Refused(logger, server.Endpoint.ToString(), change.Action.ToString().ToLowerInvariant(), change.Record.ToString(), e.Message);
            }
        }

        // What BIND refused stays "not there" in our view, so it is tried again after the next read-back.
        holds.IntersectWith(want.Union(known));
        return (holds, messages);
    }

    private void RecordSkipped(DnsRecordPlan record, string reason) => Skipped(logger, record.Name, record.Type, reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS: published to {Server}: {Added} added, {Deleted} deleted in {Messages} UPDATE message(s), {Milliseconds:F1} ms")]
    private static partial void Published(ILogger logger, string server, int added, int deleted, int messages, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS: publishing to {Server} failed, will read it back and retry: {Reason}")]
    private static partial void ServerFailed(ILogger logger, string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS: {Server} refused to {Action} {Record}: {Reason}")]
    private static partial void Refused(ILogger logger, string server, string action, string record, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS: record {Name} {Type} not published: {Reason}")]
    private static partial void Skipped(ILogger logger, string name, string type, string reason);
}
