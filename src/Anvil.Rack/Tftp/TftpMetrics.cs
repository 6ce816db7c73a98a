using System.Collections.Concurrent;
using Anvil.Rack.Metrics;

namespace Anvil.Rack.Tftp;

/// <summary>The TFTP server's counters in <see cref="RackMetrics"/>, looked up once and kept.</summary>
internal sealed class TftpMetrics(RackMetrics metrics)
{
    public const string RequestsName = "anvil_tftp_requests_total";
    public const string DroppedName = "anvil_tftp_dropped_total";
    public const string BytesSentName = "anvil_tftp_bytes_sent_total";
    public const string TransfersName = "anvil_tftp_transfers_total";
    public const string RetransmitsName = "anvil_tftp_retransmits_total";
    public const string DuplicateAcksName = "anvil_tftp_duplicate_acks_total";

    private readonly ConcurrentDictionary<string, Counter> dropped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> transfers = new(StringComparer.Ordinal);

    public Counter Requests { get; } = metrics.Counter(RequestsName, "TFTP read and write requests received.");

    public Counter BytesSent { get; } = metrics.Counter(BytesSentName, "File bytes sent in TFTP DATA packets, retransmissions included.");

    public Counter Retransmits { get; } = metrics.Counter(RetransmitsName, "TFTP windows or option acknowledgements sent again after an ACK timeout.");

    public Counter DuplicateAcks { get; } = metrics.Counter(DuplicateAcksName, "TFTP ACKs for blocks already acknowledged, ignored.");

    public void Dropped(string reason) =>
        dropped.GetOrAdd(reason, static (r, m) => m.Counter(DroppedName, "TFTP packets dropped without an answer, by reason.", ("reason", r)), metrics).Increment();

    public void Transfer(string result) =>
        transfers.GetOrAdd(result, static (r, m) => m.Counter(TransfersName, "TFTP transfers ended, by result.", ("result", r)), metrics).Increment();
}

/// <summary>Label values of <c>anvil_tftp_dropped_total</c>.</summary>
internal static class TftpDropReason
{
    /// <summary>Not a well-formed RRQ/WRQ on the request port.</summary>
    public const string Malformed = "malformed";

    /// <summary>DATA, ACK, ERROR, OACK or an unknown opcode on the request port.</summary>
    public const string UnexpectedOpcode = "unexpected_opcode";

    /// <summary>Every transfer slot busy and the queue full; the client will retry.</summary>
    public const string Busy = "busy";

    /// <summary>A source port of 0, which cannot be answered.</summary>
    public const string BadSource = "bad_source";

    /// <summary>A packet during a transfer that is neither a usable ACK nor an ERROR.</summary>
    public const string UnexpectedInTransfer = "unexpected_in_transfer";

    /// <summary>The socket reported an error for one datagram (ICMP, truncation).</summary>
    public const string ReceiveError = "receive_error";

    /// <summary>Handling the packet threw; a bug, logged.</summary>
    public const string Internal = "internal";
}

/// <summary>Label values of <c>anvil_tftp_transfers_total</c>.</summary>
internal static class TftpTransferResult
{
    public const string Completed = "completed";
    public const string NotFound = "not_found";
    public const string AccessViolation = "access_violation";
    public const string WriteRefused = "write_refused";
    public const string ModeRefused = "mode_refused";
    public const string TimedOut = "timeout";
    public const string ClientError = "client_error";
    public const string NetworkError = "network_error";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
