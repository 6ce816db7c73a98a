using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Tftp.Codec;

namespace Anvil.Rack.Tests.Tftp.Support;

/// <summary>
/// A hand-driven TFTP client on loopback for what the real clients cannot do: windowsize, duplicate
/// or missing ACKs, garbage in the middle of a transfer. Every receive has a deadline, so a server
/// that stays silent fails the test instead of hanging it.
/// </summary>
internal sealed class RawTftpClient : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint server;
    private readonly byte[] receiveBuffer = new byte[70000];

    public RawTftpClient(IPEndPoint server)
    {
        this.server = server;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>The transfer's endpoint: where the server's first answer came from.</summary>
    public IPEndPoint? Peer { get; private set; }

    public Task RequestAsync(string filename, params (string Name, string Value)[] options) =>
        RequestAsync(filename, TftpMode.Octet, options);

    public async Task RequestAsync(string filename, TftpMode mode, params (string Name, string Value)[] options)
    {
        var request = new TftpRequest(TftpOpcode.ReadRequest, filename, mode, [.. options.Select(o => new TftpOption(o.Name, o.Value))]);
        var packet = new byte[request.Size];
        request.Write(packet);
        await SendToServerAsync(packet);
    }

    public async Task SendToServerAsync(byte[] packet) => await socket.SendToAsync(packet, server);

    public async Task SendToPeerAsync(byte[] packet) =>
        await socket.SendToAsync(packet, Peer ?? throw new InvalidOperationException("No answer yet."));

    public async Task AckAsync(ushort block)
    {
        var packet = new byte[TftpAck.Size];
        TftpAck.Write(packet, block);
        await SendToPeerAsync(packet);
    }

    public async Task<byte[]> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveFromAsync(receiveBuffer, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
        var from = (IPEndPoint)received.RemoteEndPoint;
        Peer ??= from;
        if (!from.Equals(Peer))
            throw new InvalidOperationException($"Packet from {from}, transfer is with {Peer}.");
        return receiveBuffer.AsSpan(0, received.ReceivedBytes).ToArray();
    }

    /// <summary>Receives a DATA packet and returns its block number and payload; anything else fails.</summary>
    public async Task<(ushort Block, byte[] Payload)> ReceiveDataAsync()
    {
        var packet = await ReceiveAsync();
        if (!TftpData.TryRead(packet, out var block, out var payload))
            throw new InvalidOperationException($"Expected DATA, got {Convert.ToHexString(packet)}.");
        return (block, payload.ToArray());
    }

    /// <summary>Reads a whole file the way an RFC 7440 client does: ACK 0 an OACK, then ACK the last block of each window.</summary>
    public async Task<Download> DownloadAsync(string filename, params (string Name, string Value)[] options)
    {
        await RequestAsync(filename, options);
        var blockSize = 512;
        var windowSize = 1;
        IReadOnlyList<TftpOption>? optionAck = null;
        var content = new MemoryStream();
        long expected = 1, packets = 0, wraps = 0;
        var inWindow = 0;
        while (true)
        {
            var packet = await ReceiveAsync();
            if (TftpError.TryRead(packet, out var error))
                throw new TftpErrorReceivedException(error);
            if (optionAck is null && expected == 1 && TftpOptionAck.TryRead(packet, out var acknowledged))
            {
                optionAck = acknowledged;
                foreach (var option in acknowledged)
                {
                    if (option.Is("blksize"))
                        blockSize = int.Parse(option.Value);
                    if (option.Is("windowsize"))
                        windowSize = int.Parse(option.Value);
                }

                await AckAsync(0);
                continue;
            }

            if (!TftpData.TryRead(packet, out var block, out var payload))
                throw new InvalidOperationException($"Unexpected packet {Convert.ToHexString(packet)}.");
            packets++;
            if (block != unchecked((ushort)expected))
                continue;
            if (block == 0)
                wraps++;
            content.Write(payload);
            inWindow++;
            if (payload.Length < blockSize)
            {
                await AckAsync(block);
                return new Download(content.ToArray(), optionAck, packets, wraps);
            }

            if (inWindow == windowSize)
            {
                await AckAsync(block);
                inWindow = 0;
            }

            expected++;
        }
    }

    public void Dispose() => socket.Dispose();

    public sealed record Download(byte[] Content, IReadOnlyList<TftpOption>? OptionAck, long DataPackets, long Wraps);
}

internal sealed class TftpErrorReceivedException(TftpError error) : Exception($"TFTP error {(int)error.Code}: {error.Message}")
{
    public TftpError Error { get; } = error;
}
