using System.Net;
using System.Net.Sockets;

namespace Anvil.Lab.Fleet.Net;

/// <summary>HTTP for one boot of one machine: connections leave from the machine's leased address when it has one.</summary>
internal static class MachineHttp
{
    public static HttpClient Create(IPAddress? local, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            // A machine talks to one rack; a handful of connections is what curl/iPXE would use.
            MaxConnectionsPerServer = 4,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        if (local is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler) { Timeout = timeout };
    }
}
