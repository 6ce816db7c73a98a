namespace Anvil.Rack.Dhcp.Wire;

/// <summary>Why a datagram got no answer; each is a label of <c>anvil_dhcp_dropped_total</c>.</summary>
internal enum DhcpDropReason
{
    /// <summary>Shorter than the fixed BOOTP header and magic cookie.</summary>
    Short,

    /// <summary>A BOOTREPLY or an unknown op code: not meant for a server.</summary>
    NotRequest,

    /// <summary>The magic cookie is wrong.</summary>
    BadCookie,

    /// <summary>An option runs past the end of its area, or a length is invalid.</summary>
    BadOptions,

    /// <summary>No option 53: plain BOOTP, which the server does not answer.</summary>
    Bootp,

    /// <summary>Option 53 holds a type the server does not handle.</summary>
    UnknownType,

    /// <summary>Not Ethernet (htype 1, hlen 6).</summary>
    Hardware,

    /// <summary>No served subnet for the receiving interface or the relay address.</summary>
    NoSubnet,

    /// <summary>No free address in any candidate subnet's dynamic ranges.</summary>
    PoolExhausted,

    /// <summary>The message names another server (server identifier), or is otherwise not for us.</summary>
    NotForUs,

    /// <summary>A REQUEST in no state RFC 2131 §4.3.2 defines, or a DECLINE/RELEASE for nothing we hold.</summary>
    Unmatched,

    /// <summary>Larger than the receive buffer.</summary>
    TooLong,

    /// <summary>The reply could not be sent.</summary>
    SendFailed,

    /// <summary>A bug: the engine threw. Logged and counted; the loop keeps serving.</summary>
    InternalError,
}

internal static class DhcpDropReasons
{
    public static IReadOnlyList<DhcpDropReason> All { get; } = Enum.GetValues<DhcpDropReason>();

    public static string MetricName(DhcpDropReason reason) => reason switch
    {
        DhcpDropReason.Short => "short",
        DhcpDropReason.NotRequest => "not_request",
        DhcpDropReason.BadCookie => "bad_cookie",
        DhcpDropReason.BadOptions => "bad_options",
        DhcpDropReason.Bootp => "bootp",
        DhcpDropReason.UnknownType => "unknown_type",
        DhcpDropReason.Hardware => "hardware",
        DhcpDropReason.NoSubnet => "no_subnet",
        DhcpDropReason.PoolExhausted => "pool_exhausted",
        DhcpDropReason.NotForUs => "not_for_us",
        DhcpDropReason.Unmatched => "unmatched",
        DhcpDropReason.TooLong => "too_long",
        DhcpDropReason.SendFailed => "send_failed",
        _ => "internal_error",
    };
}
