using System.Net.Sockets;

namespace Anvil.Dns.Client;

/// <summary>Timeouts and transport failures of one request/response step, for both clients.</summary>
internal static class DnsExchange
{
    /// <summary>Runs <paramref name="step"/> with the client's timeout; a timeout becomes <see cref="TimeoutException"/>, the caller's cancellation stays a cancellation.</summary>
    public static async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> step, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return await step(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
    }

    /// <summary>Says why a connection failed or broke, in a few words.</summary>
    public static string Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (is named running and listening on that port?)",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "the server reset the connection",
        SocketException s => $"socket error {s.SocketErrorCode}",
        EndOfStreamException => "the server closed the connection before answering",
        IOException { InnerException: SocketException s } => Describe(s),
        _ => e.Message,
    };

    public static bool IsTransportFailure(Exception e) => e is SocketException or IOException;
}
