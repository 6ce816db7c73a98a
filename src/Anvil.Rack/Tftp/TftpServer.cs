using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Boot;
using Anvil.Rack.Metrics;
using Anvil.Rack.Tftp.Codec;
using Anvil.Rack.Tftp.Transfer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Tftp;

/// <summary>
/// The rack's TFTP server: read requests only (RFC 1350), with the options of RFC 2347 (blksize
/// 2348, timeout and tsize 2349, windowsize 7440), serving files from an <see cref="IBootFileProvider"/>.
/// One receive loop on the request port parses requests and hands them through a bounded queue to
/// at most <see cref="TftpServerOptions.MaxConcurrentTransfers"/> dedicated threads, each serving
/// one transfer at a time on its own socket. Nothing a client
/// sends can throw out of the loop: malformed packets are dropped and counted.
/// </summary>
public sealed class TftpServer : IHostedService, IAsyncDisposable
{
    private const int MaxDatagram = 65536;
    private readonly IBootFileProvider files;
    private readonly TftpMetrics metrics;
    private readonly ILogger logger;
    private readonly TftpServerOptions options;
    // Measures what is left of an ACK wait after a stray packet; the wait itself is the transfer
    // socket's receive timeout, which runs on the system clock whatever provider is given.
    private readonly TimeProvider time;
    private Socket? listener;
    private TransferWorkers? workers;
    private CancellationTokenSource? stopping;
    private Task running = Task.CompletedTask;

    public TftpServer(IBootFileProvider files, RackMetrics metrics, ILogger<TftpServer> logger, TftpServerOptions options, TimeProvider? time = null)
    {
        options.Validate();
        this.files = files;
        this.metrics = new TftpMetrics(metrics);
        this.logger = logger;
        this.options = options;
        this.time = time ?? TimeProvider.System;
    }

    public TftpServerState State { get; private set; } = TftpServerState.Off;

    /// <summary>Why the server is dead, for the service's status info; empty otherwise.</summary>
    public string StatusInfo { get; private set; } = "";

    /// <summary>The bound request endpoint (with the port the system chose when the options asked for 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (listener is not null)
            throw new InvalidOperationException("The TFTP server is already started.");

        var socket = new Socket(options.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // The local address of each request (pktinfo) is the address its transfer answers from.
            if (options.Endpoint.AddressFamily == AddressFamily.InterNetworkV6)
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            else
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.Bind(options.Endpoint);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            State = TftpServerState.Dead;
            StatusInfo = $"Cannot listen on {options.Endpoint}: {e.Message}";
            throw;
        }

        listener = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        stopping = new CancellationTokenSource();
        var token = stopping.Token;
        workers = new TransferWorkers(options.MaxConcurrentTransfers, options.QueueCapacity, request => metrics.Transfer(Serve(request, token)));
        running = ReceiveLoopAsync(socket, workers, token);
        State = TftpServerState.Running;
        StatusInfo = "";
        TftpLog.Listening(logger, LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (listener is null || stopping is null)
            return;

        await stopping.CancelAsync();
        await running.WaitAsync(cancellationToken);
        await workers!.StopAsync().WaitAsync(cancellationToken);
        listener.Dispose();
        stopping.Dispose();
        listener = null;
        stopping = null;
        workers = null;
        if (State == TftpServerState.Running)
            State = TftpServerState.Off;
        TftpLog.Stopped(logger, LocalEndPoint!);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task ReceiveLoopAsync(Socket socket, TransferWorkers requests, CancellationToken ct)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        EndPoint anyRemote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, anyRemote, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize
                                                or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                metrics.Dropped(TftpDropReason.ReceiveError);
                continue;
            }
            catch (Exception e)
            {
                State = TftpServerState.Dead;
                StatusInfo = $"Receive loop failed: {e.Message}";
                TftpLog.ReceiveLoopFailed(logger, e, LocalEndPoint!);
                return;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                Accept(buffer.AsSpan(0, received.ReceivedBytes), client, received.PacketInformation.Address, requests);
            }
            catch (Exception e)
            {
                metrics.Dropped(TftpDropReason.Internal);
                TftpLog.PacketHandlingFailed(logger, e, client);
            }
        }
    }

    private void Accept(ReadOnlySpan<byte> packet, IPEndPoint client, IPAddress? localAddress, TransferWorkers requests)
    {
        if (!TftpRequest.TryRead(packet, out var request))
        {
            var known = TftpPacket.TryReadOpcode(packet, out var opcode) && opcode is TftpOpcode.Data or TftpOpcode.Ack or TftpOpcode.Error or TftpOpcode.OptionAck;
            metrics.Dropped(known ? TftpDropReason.UnexpectedOpcode : TftpDropReason.Malformed);
            return;
        }

        if (client.Port == 0)
        {
            metrics.Dropped(TftpDropReason.BadSource);
            return;
        }

        metrics.Requests.Increment();
        if (localAddress is null || localAddress.Equals(IPAddress.Any) || localAddress.Equals(IPAddress.IPv6Any))
            localAddress = options.Endpoint.Address;
        if (!requests.TryEnqueue(new TftpTransferRequest(request!, client, localAddress)))
        {
            metrics.Dropped(TftpDropReason.Busy);
            TftpLog.QueueFull(logger, client, options.QueueCapacity);
        }
    }

    private string Serve(TftpTransferRequest request, CancellationToken ct)
    {
        try
        {
            return new TftpTransfer(request, files, metrics, logger, options, time).Run(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return TftpTransferResult.Cancelled;
        }
        catch (Exception e)
        {
            TftpLog.TransferFailed(logger, e, request.Request.Filename, request.Client);
            return TftpTransferResult.Failed;
        }
    }
}
