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
