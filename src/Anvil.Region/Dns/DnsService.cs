using Anvil.Data;
using Anvil.Data.Dns;
using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Anvil.Domain.Dns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Anvil.Region.Dns;

/// <summary>
/// The region's DNS loop. Every change to names or addresses commits a marker and a NOTIFY
/// (0004_dns.sql); on each wake-up every region re-plans the zones from one database snapshot and
/// keeps its own named's configuration in step (<see cref="LocalNamed"/>), and the one region
/// holding the DNS lock sends every registered named the record differences
/// (<see cref="DnsRecordPublisher"/>), then drops the markers it covered. A standby region keeps
/// asking for the lock; when it gets it, it reads every zone back before publishing, so a
/// takeover converges whatever the previous publisher managed to send.
/// </summary>
internal sealed partial class DnsService(
    Database db, DnsOptions options, LocalNamed named, DnsRecordPublisher publisher, TimeProvider clock, ILogger<DnsService> logger) : BackgroundService
{
    private static readonly TimeSpan RegisterInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private DateTimeOffset registeredAt = DateTimeOffset.MinValue;

    public bool IsLeader { get; private set; }

    /// <summary>Cycles completed; tests wait on it.</summary>
    public long Cycles => Interlocked.Read(ref cycles);

    public DnsPublishResult LastResult { get; private set; } = DnsPublishResult.None;

    private long cycles;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var leadership = new DnsLeadership(db.DataSource);
        TsigKey? key = null;
        NpgsqlConnection? listener = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    key ??= new TsigKey("anvil", TsigAlgorithm.HmacSha512, Convert.FromBase64String(await DnsPublishing.SharedSecretAsync(db, stoppingToken)));
                    listener ??= await ListenAsync(stoppingToken);
                    await CycleAsync(leadership, key, stoppingToken);
                    await WaitAsync(listener, stoppingToken);
                }
                // Whatever goes wrong (database, named, a bug in one cycle), DNS keeps trying and the
                // region keeps serving everything else.
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    CycleFailed(logger, e.Message);
                    if (listener is not null)
                        await listener.DisposeAsync();
                    listener = null;
                    await Task.Delay(options.RetryInterval, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (listener is not null)
                await listener.DisposeAsync();
            await named.DisposeAsync();
        }
    }

    private async Task CycleAsync(DnsLeadership leadership, TsigKey key, CancellationToken ct)
    {
        var (upTo, snapshot, settings) = await db.ReadAsync(
            async c => (await DnsPublishing.LatestChangeAsync(c, ct), await DnsSnapshotQuery.ReadAsync(c, ct), await DnsSettings.ReadAsync(c, ct)),
            ct);
        var plan = DnsZonePlanner.Plan(snapshot);
        var nameServer = publisher.NameServer(plan);
        var zones = new NamedZoneSet(
            [.. plan.Zones.Select(z => new NamedZone(z.Name, nameServer, options.NameServerAddresses, z.Ttl))],
            plan.ForwardZones);
        await named.ApplyAsync(zones, WithManagedSubnets(settings, snapshot), key, ct);

        if (clock.GetUtcNow() - registeredAt >= RegisterInterval)
        {
            await db.ReadAsync(async c => { await DnsPublishing.RegisterServerAsync(c, options.ServerEndpoint.ToString(), options.RegionName, ct); return 0; }, ct);
            registeredAt = clock.GetUtcNow();
        }

        var wasLeader = IsLeader;
        IsLeader = await leadership.TryHoldAsync(ct);
        if (IsLeader && !wasLeader)
        {
            publisher.Reset();
            TookOver(logger, options.RegionName);
        }

        if (IsLeader)
        {
            var servers = await db.ReadAsync(c => DnsPublishing.LiveServersAsync(c, options.ServerMaxAge, ct), ct);
            LastResult = await publisher.PublishAsync(plan, key, servers, ct);
            await db.ReadAsync(async c => { await DnsPublishing.ForgetChangesAsync(c, upTo, ct); return 0; }, ct);
        }

        Interlocked.Increment(ref cycles);
    }

    /// <summary>
    /// As MAAS does, machines on Anvil's own subnets may recurse once recursion is on at all (an
    /// upstream resolver or a trusted ACL is set). Without either, named answers only Anvil's
    /// zones: recursing from the root would have it reach out to the internet on its own.
    /// </summary>
    private static DnsSettings WithManagedSubnets(DnsSettings settings, DnsSnapshot snapshot) =>
        settings.Forwarders.Count == 0 && settings.TrustedAcl.Count == 0
            ? settings
            : settings with { TrustedAcl = [.. settings.TrustedAcl.Union(snapshot.Subnets.Select(s => s.Cidr.ToString()), StringComparer.Ordinal)] };

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var c = await db.DataSource.OpenConnectionAsync(ct);
        await using var listen = new NpgsqlCommand($"LISTEN {DnsPublishing.ChangeChannel}", c);
        await listen.ExecuteNonQueryAsync(ct);
        return c;
    }

    /// <summary>Until a change is notified (then a short debounce to gather a burst), or the next retry or check is due.</summary>
    private async Task WaitAsync(NpgsqlConnection listener, CancellationToken ct)
    {
        var timeout = !IsLeader ? options.LeaderRetry : publisher.AnyFailed ? options.RetryInterval : IdleCheck;
        if (await listener.WaitAsync(timeout, ct))
        {
            // Notifications that arrived meanwhile are covered by the coming snapshot. (A zero
            // timeout would mean "wait forever" to Npgsql.)
            await Task.Delay(options.Debounce, clock, ct);
            while (await listener.WaitAsync(TimeSpan.FromMilliseconds(1), ct))
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS: region {Region} holds the DNS lock and publishes")]
    private static partial void TookOver(ILogger logger, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS: cycle failed, retrying: {Reason}")]
    private static partial void CycleFailed(ILogger logger, string reason);
}
