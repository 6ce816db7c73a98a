using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Anvil.Lab.Fleet.Dhcp;

/// <summary>A lease a simulated machine got: its address, prefix, the server and what to boot.</summary>
internal sealed record DhcpLease(IPAddress Address, int PrefixLength, IPAddress Server, string BootFile, IPAddress NextServer);

/// <summary>
/// One UDP socket on port 68 of one interface (SO_BINDTODEVICE) shared by every simulated machine:
/// each sends with its own chaddr and the broadcast flag, the server broadcasts its answers, and
/// the socket hands each to the machine whose transaction ID it carries. This is how perfdhcp
/// plays many clients from one host.
/// </summary>
internal sealed class DhcpClientSocket : IAsyncDisposable
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private static readonly IPEndPoint ServerBroadcast = new(IPAddress.Broadcast, 67);

    private readonly Socket socket;
    private readonly ConcurrentDictionary<uint, Channel<DhcpReply>> waiting = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long dropped;

    public DhcpClientSocket(string interfaceName)
    {
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(new IPEndPoint(IPAddress.Any, 68));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        loop = Task.Run(() => ReceiveLoopAsync(stop.Token));
    }

    /// <summary>Replies nobody waited for or that did not parse.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>
    /// DISCOVER → OFFER → REQUEST → ACK, each step retried after <paramref name="timeout"/> (RFC 2131
    /// asks for backoff; simulated machines keep it simple), up to <paramref name="attempts"/> times.
    /// </summary>
    public async Task<DhcpLease> DoraAsync(byte[] mac, DhcpClientKind kind, TimeSpan timeout, int attempts, CancellationToken ct)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var xid = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
            var replies = Channel.CreateUnbounded<DhcpReply>();
            if (!waiting.TryAdd(xid, replies))
                continue;
            try
            {
                await SendAsync(DhcpClientMessage.Discover(xid, mac, kind), ct);
                var offer = await ReceiveAsync(replies, mac, DhcpMessageKind.Offer, timeout, ct);
                if (offer?.ServerId is null)
                    continue;
                await SendAsync(DhcpClientMessage.Request(xid, mac, kind, offer.YourAddress, offer.ServerId), ct);
                var ack = await ReceiveAsync(replies, mac, DhcpMessageKind.Ack, timeout, ct);
                if (ack is null)
                    continue;
                var bootFile = ack.BootFile.Length > 0 ? ack.BootFile : offer.BootFile;
                return new DhcpLease(ack.YourAddress, ack.PrefixLength, ack.ServerId ?? offer.ServerId, bootFile, ack.NextServer);
            }
            finally
            {
                waiting.TryRemove(xid, out _);
            }
        }

        throw new TimeoutException($"No DHCP lease for {Convert.ToHexString(mac)} after {attempts} attempts of {timeout.TotalSeconds:0.#} s.");
    }

    private async Task SendAsync(byte[] packet, CancellationToken ct) => await socket.SendToAsync(packet, SocketFlags.None, ServerBroadcast, ct);

    /// <summary>The first reply of the wanted kind for this MAC, null on timeout or NAK.</summary>
    private static async Task<DhcpReply?> ReceiveAsync(Channel<DhcpReply> replies, byte[] mac, DhcpMessageKind wanted, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var reply = await replies.Reader.ReadAsync(deadline.Token);
                if (!reply.ClientMac.AsSpan().SequenceEqual(mac))
                    continue;
                if (reply.Kind == DhcpMessageKind.Nak)
                    return null;
                if (reply.Kind == wanted)
                    return reply;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (!ct.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (DhcpClientMessage.TryRead(buffer.AsSpan(0, received), out var reply) && waiting.TryGetValue(reply.TransactionId, out var channel))
                channel.Writer.TryWrite(reply);
            else
                Interlocked.Increment(ref dropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket.Dispose();
        await loop;
        stop.Dispose();
    }
}
