using System.Net;

namespace Anvil.Rack.Tftp;

/// <summary>Where the TFTP server listens and how patient it is with clients.</summary>
public sealed record TftpServerOptions
{
    /// <summary>The request port; 69 on all IPv4 addresses in production, loopback port 0 in tests.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Any, 69);

    /// <summary>Where finished and refused reads go for the boot timeline (docs/architecture/timeline.md); none when null.</summary>
    public Timeline.IBootEventSink? Timeline { get; init; }

    /// <summary>The MAC behind a client address (the rack's DHCP leases), for the timeline.</summary>
    public Func<IPAddress, string?> MacOf { get; init; } = _ => null;

    /// <summary>How long to wait for an ACK before sending the window again, unless the client asks for a timeout (RFC 2349).</summary>
    public TimeSpan RetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions of one window (or OACK) before the transfer is given up.</summary>
    public int MaxRetransmits { get; init; } = 5;

    /// <summary>The largest blksize granted (RFC 2348 allows up to 65464); larger requests are answered with this.</summary>
    public int MaxBlockSize { get; init; } = 65464;

    /// <summary>The largest windowsize granted (RFC 7440).</summary>
    public int MaxWindowSize { get; init; } = 64;

    /// <summary>Bytes one transfer may hold for its unacknowledged window; bounds windowsize × blksize.</summary>
    public int MaxWindowBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Transfers served at the same time, each on a thread of its own that blocks on its socket
    /// (started when needed, ended after idling); requests beyond them wait in a queue.
    /// </summary>
    public int MaxConcurrentTransfers { get; init; } = 256;

    /// <summary>Requests waiting for a free transfer slot; beyond this they are dropped (the client retries).</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Throws with every problem listed when a value cannot work.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (RetransmitTimeout <= TimeSpan.Zero)
            problems.Add("RetransmitTimeout must be positive (default 1 s).");
        if (MaxRetransmits < 0)
            problems.Add("MaxRetransmits must be 0 or more (default 5).");
        if (MaxBlockSize is < 512 or > 65464)
            problems.Add("MaxBlockSize must be 512 to 65464 (default 65464).");
        if (MaxWindowSize is < 1 or > 1024)
            problems.Add("MaxWindowSize must be 1 to 1024 (default 64).");
        if (MaxWindowBytes < 65468)
            problems.Add("MaxWindowBytes must be at least 65468, one full block (default 1 MiB).");
        if (MaxConcurrentTransfers < 1)
            problems.Add("MaxConcurrentTransfers must be positive (default 256).");
        if (QueueCapacity < 1)
            problems.Add("QueueCapacity must be positive (default 1024).");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid TFTP server options: " + string.Join(" ", problems));
    }
}
