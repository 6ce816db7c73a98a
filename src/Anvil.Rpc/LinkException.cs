namespace Anvil.Rpc;

/// <summary>The link itself failed: not connected, closed mid-call, the handshake was refused, a frame was unreadable.</summary>
public class LinkException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The other side ran the call and answered with an error.</summary>
public sealed class LinkCallException(string method, LinkError error)
    : Exception($"{method} failed on the other side ({error.Kind}): {error.Message}")
{
    public string Method { get; } = method;

    public LinkError Error { get; } = error;
}

/// <summary>
/// A failure the side that ran a call wants the caller to see as it is: its kind and message go
/// back over the link (other exceptions are reported as <c>internal</c> without detail). The
/// message must hold nothing secret.
/// </summary>
public sealed class LinkReportableException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;
}
