using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Anvil.Rack.Dhcp.Engine;
using Anvil.Rack.Dhcp.Wire;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Dhcp.Server;

/// <summary>
/// One UDP socket on 0.0.0.0:67 tied to one interface (SO_BINDTODEVICE), so replies leave by the
/// interface the request came in on, and several racks' subnets never mix. A dedicated thread
/// receives, asks the engine and sends, with buffers allocated once: no task per packet, no
/// allocation per packet.
/// </summary>
internal sealed class DhcpListener : IDisposable
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoRcvBufForce = 33;

    private readonly DhcpEngine engine;
    private readonly DhcpMetrics metrics;
    private readonly ILogger logger;
    private readonly Action<Exception> onFailure;
    private readonly Socket socket;
    private readonly Thread thread;
    private volatile bool stopping;

    public DhcpListener(string interfaceName, int port, DhcpEngine engine, DhcpMetrics metrics, ILogger logger, Action<Exception> onFailure)
    {
        Interface = interfaceName;
        this.engine = engine;
        this.metrics = metrics;
        this.logger = logger;
        this.onFailure = onFailure;
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));
            TryGrowReceiveBuffer(socket);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        thread = new Thread(Run) { IsBackground = true, Name = $"dhcp {interfaceName}" };
        thread.Start();
    }

    public string Interface { get; }

    public void Dispose()
    {
        stopping = true;
        socket.Dispose();
        thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        var datagram = GC.AllocateArray<byte>(DhcpPacket.MaxLength + 1, pinned: true);
        var reply = GC.AllocateArray<byte>(1500, pinned: true);
        var packet = new DhcpPacket();
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var to = new IPEndPoint(IPAddress.Any, 0).Serialize();
        try
        {
            while (!stopping)
            {
                int received;
                try
                {
                    received = socket.ReceiveFrom(datagram, SocketFlags.None, from);
                }
                catch (SocketException e) when (!stopping && e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                {
                    // ICMP errors from an earlier send surface on the next receive; nothing to do.
                    continue;
                }

                if (received > DhcpPacket.MaxLength)
                {
                    metrics.Dropped(DhcpDropReason.TooLong);
                    continue;
                }

                int length;
                ReplyDestination destination;
                try
                {
                    length = engine.Process(datagram.AsSpan(0, received), Interface, packet, reply, out destination);
                }
                catch (Exception e)
                {
                    metrics.Dropped(DhcpDropReason.InternalError);
                    DhcpLog.ProcessingFailed(logger, Interface, e);
                    continue;
                }

                if (length > 0)
                    Send(reply.AsSpan(0, length), destination, to);
            }
        }
        catch (Exception e) when (stopping && e is SocketException or ObjectDisposedException)
        {
            // Dispose closed the socket under the blocked receive: the normal way out.
        }
        catch (Exception e)
        {
            DhcpLog.LoopDied(logger, Interface, e);
            onFailure(e);
        }
    }

    private void Send(ReadOnlySpan<byte> reply, ReplyDestination destination, SocketAddress to)
    {
        // sockaddr_in: family, then port and address in network order.
        var raw = to.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(raw[2..], destination.Port);
        BinaryPrimitives.WriteUInt32BigEndian(raw[4..], destination.Address);
        try
        {
            socket.SendTo(reply, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            metrics.Dropped(DhcpDropReason.SendFailed);
        }
    }

    /// <summary>Bursts (hundreds of clients powering on at once) should queue in the kernel, not be dropped.</summary>
    private static void TryGrowReceiveBuffer(Socket socket)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, 8 << 20);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, size);
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = 8 << 20;
        }
    }
}
