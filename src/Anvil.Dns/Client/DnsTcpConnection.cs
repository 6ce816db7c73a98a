using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Anvil.Dns.Client;

/// <summary>DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 §4.2.2, RFC 7766).</summary>
internal sealed class DnsTcpConnection : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;

    private DnsTcpConnection(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<DnsTcpConnection> ConnectAsync(IPEndPoint server, CancellationToken ct)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, ct);
            return new DnsTcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(byte[] message, CancellationToken ct)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, checked((ushort)message.Length));
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed, ct);
    }

    /// <summary>Reads one message; <see cref="EndOfStreamException"/> when the server closed the connection.</summary>
    public async Task<byte[]> ReceiveAsync(CancellationToken ct)
    {
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, ct);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, ct);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        socket.Dispose();
    }
}
