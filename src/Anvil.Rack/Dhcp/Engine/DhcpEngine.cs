using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp.Wire;
using Anvil.Rack.Leases;
using Anvil.Rack.Timeline;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>
/// The DHCPv4 server's decisions, without sockets: a datagram in, a reply (and where it goes)
/// out. All lease state lives here and is touched under one lock; the lock is held only for the
/// decision, never for I/O. Expired leases are swept at the start of every request and by
/// <see cref="Sweep"/>, which the server calls on a timer.
/// </summary>
internal sealed partial class DhcpEngine
{
    private readonly Lock gate = new();
    private readonly DhcpMetrics metrics;
    private readonly ILeaseSink sink;
    private readonly TimeProvider time;
    private readonly ILeaseJournal? journal;
    private readonly Dictionary<ulong, DhcpLease> byMac = [];
    private readonly Dictionary<uint, DhcpLease> byAddress = [];
    private readonly PriorityQueue<DhcpLease, long> expiries = new();
    private volatile ServedConfig config = ServedConfig.Empty;

    private readonly IBootEventSink? timeline;

    public DhcpEngine(DhcpMetrics metrics, ILeaseSink sink, TimeProvider time, ILeaseJournal? journal = null, IBootEventSink? timeline = null)
    {
        this.metrics = metrics;
        this.sink = sink;
        this.time = time;
        this.journal = journal;
        this.timeline = timeline;
    }

    /// <summary>How long an offered address stays held for the client, so two clients never get the same offer.</summary>
    public TimeSpan OfferHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a declined address stays out of the pool (RFC 2131 §3.1.5: it is probably in use by someone else).</summary>
    public TimeSpan DeclineHold { get; init; } = TimeSpan.FromMinutes(10);

    public ServedConfig Config => config;

    /// <summary>
    /// Answers one datagram received on <paramref name="interfaceName"/>: the reply's length in
    /// <paramref name="reply"/> (0 for none) and where to send it. Malformed input is counted
    /// and dropped; this never throws for anything a client sends.
    /// </summary>
    public int Process(ReadOnlySpan<byte> datagram, string? interfaceName, DhcpPacket packet, Span<byte> reply, out ReplyDestination destination)
    {
        destination = default;
        if (!DhcpPacketReader.TryRead(datagram, packet, out var reason))
        {
            metrics.Dropped(reason);
            return 0;
        }

        metrics.Received(packet.MessageType);
        DhcpAnswer answer;
        lock (gate)
        {
            var now = time.GetUtcNow().UtcTicks;
            ExpireDue(now);
            answer = packet.MessageType switch
            {
                DhcpMessageType.Discover => Discover(packet, interfaceName, now),
                DhcpMessageType.Request => Request(packet, interfaceName, now),
                DhcpMessageType.Decline => Decline(packet, now),
                DhcpMessageType.Release => Release(packet, now),
                _ => Inform(packet, interfaceName),
            };
            journal?.Flush();
        }

        if (timeline is not null)
            RecordOnTimeline(packet, interfaceName, answer);
        if (answer.Type == DhcpMessageType.None)
        {
            if (answer.Drop is { } drop)
                metrics.Dropped(drop);
            return 0;
        }

        var length = DhcpReplyBuilder.Write(packet, answer, reply);
        destination = ReplyDestination.For(packet, answer.Type);
        metrics.Replied(answer.Type);
        return length;
    }

    /// <summary>The MAC of the lease on an IPv4 address (offered or bound), or null.</summary>
    public string? MacOf(System.Net.IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return null;
        var key = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        lock (gate)
            return byAddress.TryGetValue(key, out var lease) ? lease.MacText : null;
    }

    /// <summary>The request and the answer on the boot timeline (docs/architecture/timeline.md), by the client's MAC.</summary>
    private void RecordOnTimeline(DhcpPacket packet, string? interfaceName, DhcpAnswer answer)
    {
        var at = time.GetUtcNow();
        var mac = MacAddressText.Format(packet.Mac);
        var vendor = packet.Has(DhcpOptionCode.VendorClass) ? System.Text.Encoding.ASCII.GetString(packet.Option(DhcpOptionCode.VendorClass)) + " " : "";
        timeline!.Record(new BootEventDto(at, mac, "dhcp", TimelineName(packet.MessageType), $"{vendor}on {interfaceName ?? "relay"}", null));
        if (answer.Type != DhcpMessageType.None)
            timeline.Record(new BootEventDto(at, mac, "dhcp", TimelineName(answer.Type), answer.YourAddress != 0 ? DhcpLease.AddressOf(answer.YourAddress) : "", null));
    }

    private static string TimelineName(DhcpMessageType type) => "DHCP" + type.ToString().ToUpperInvariant();

    /// <summary>Replaces the served config whole. Leases whose address is still served stay; the others are kept detached until they expire.</summary>
    public void Apply(DhcpServerConfig newConfig)
    {
        var compiled = new ServedConfig(newConfig);
        lock (gate)
        {
            var held = byAddress.Values.Where(l => l.State == LeaseState.Declined).ToList();
            byAddress.Clear();
            config = compiled;
            foreach (var lease in byMac.Values)
            {
                lease.Subnet = null;
                if (lease.State == LeaseState.Offered)
                    lease.State = LeaseState.Expired;
                else if (lease.State == LeaseState.Bound)
                    TryAttach(lease);
            }

            foreach (var quarantined in held)
            {
                quarantined.Subnet = null;
                TryAttach(quarantined);
            }
        }
    }

    /// <summary>
    /// Expires what is due, and compacts the journal when it has grown; the server calls it on a
    /// timer so leases expire while nobody asks. Returns the leases compacted to, or -1.
    /// </summary>
    public int Sweep()
    {
        lock (gate)
        {
            ExpireDue(time.GetUtcNow().UtcTicks);
            journal?.Flush();
            if (journal is null || !journal.ShouldCompact(byMac.Count))
                return -1;
            var live = BoundLeasesLocked();
            journal.Compact(live);
            return live.Count;
        }
    }

    /// <summary>Leases read back from the journal at start; those already over are skipped.</summary>
    public void Load(IEnumerable<StoredLease> stored)
    {
        lock (gate)
        {
            var now = time.GetUtcNow().UtcTicks;
            foreach (var entry in stored)
            {
                if (entry.ExpiresTicks <= now)
                    continue;
                var lease = new DhcpLease(entry.Mac, entry.Address)
                {
                    State = LeaseState.Bound,
                    ExpiresTicks = entry.ExpiresTicks,
                    LeaseSeconds = entry.LeaseSeconds,
                    Hostname = entry.Hostname,
                };
                byMac[entry.Mac] = lease;
                expiries.Enqueue(lease, lease.ExpiresTicks);
                TryAttach(lease);
            }
        }
    }

    /// <summary>The bound leases, for the journal's compaction and for tests.</summary>
    public IReadOnlyList<StoredLease> BoundLeases()
    {
        lock (gate)
            return BoundLeasesLocked();
    }

    /// <summary>The lease the MAC holds (offered or bound), for tests and diagnostics.</summary>
    public StoredLease? ActiveLease(ulong mac)
    {
        lock (gate)
        {
            return byMac.TryGetValue(mac, out var l) && l.IsActive && l.Subnet is not null
                ? new StoredLease(l.Mac, l.Address, l.ExpiresTicks, l.LeaseSeconds, l.Hostname, l.State)
                : null;
        }
    }

    private List<StoredLease> BoundLeasesLocked() =>
        [.. byMac.Values.Where(l => l.State == LeaseState.Bound)
            .Select(l => new StoredLease(l.Mac, l.Address, l.ExpiresTicks, l.LeaseSeconds, l.Hostname))];

    private void ExpireDue(long now)
    {
        while (expiries.TryPeek(out var lease, out var at) && at <= now)
        {
            expiries.Dequeue();
            if (lease.ExpiresTicks != at || !lease.IsActive)
                continue;
            var wasBound = lease.State == LeaseState.Bound;
            Detach(lease);
            lease.State = LeaseState.Expired;
            if (wasBound)
            {
                journal?.Ended(lease);
                Report(LeaseAction.Expiry, lease, now);
            }
        }
    }

    /// <summary>Puts a lease back in the address index if the current config serves its address (for this MAC).</summary>
    private void TryAttach(DhcpLease lease)
    {
        if (config.SubnetOf(lease.Address) is not { } subnet || byAddress.ContainsKey(lease.Address))
            return;
        var reserved = config.ReservedAddresses.TryGetValue(lease.Address, out var host);
        if (reserved ? host!.Mac != lease.Mac : !subnet.Pool.TryMark(lease.Address))
            return;
        lease.Subnet = subnet;
        byAddress[lease.Address] = lease;
    }

    /// <summary>Takes the lease out of the address index and returns its address to the pool.</summary>
    private void Detach(DhcpLease lease)
    {
        if (lease.Subnet is not { } subnet)
            return;
        if (byAddress.TryGetValue(lease.Address, out var holder) && holder == lease)
        {
            byAddress.Remove(lease.Address);
            if (!config.ReservedAddresses.ContainsKey(lease.Address))
                subnet.Pool.Free(lease.Address);
        }

        lease.Subnet = null;
    }

    private void SetExpiry(DhcpLease lease, long at)
    {
        lease.ExpiresTicks = at;
        expiries.Enqueue(lease, at);
    }

    private void Report(LeaseAction action, DhcpLease lease, long now) =>
        sink.Report(new LeaseEvent(action, IpFamily.V4, lease.MacText, lease.AddressText, lease.Hostname, new DateTimeOffset(now, TimeSpan.Zero), lease.LeaseSeconds));
}

/// <summary>A lease as the journal stores it and the engine reports it.</summary>
internal sealed record StoredLease(ulong Mac, uint Address, long ExpiresTicks, int LeaseSeconds, string? Hostname, LeaseState State = LeaseState.Bound);
