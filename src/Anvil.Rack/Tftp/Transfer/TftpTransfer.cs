using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Boot;
using Anvil.Rack.Tftp.Codec;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// One read request served from its own ephemeral socket (RFC 1350: the server's new port is the
/// transfer id), connected to the client so the kernel drops datagrams from anyone else. Sends a
/// window of blocks (RFC 7440; one block without the option), then waits for the ACK of a block in
/// it; an ACK inside the window restarts the window after that block, an old ACK is ignored (no
/// Sorcerer's Apprentice), and only a timeout sends again. Block numbers wrap from 65535 to 0.
/// Runs synchronously on a thread of its own (<see cref="TransferWorkers"/>): the wait for an ACK is
/// a blocking receive whose deadline is the socket's receive timeout, and the server's stop closes
/// the socket, which ends that wait.
/// </summary>
internal sealed class TftpTransfer(
    TftpTransferRequest transfer,
    IBootFileProvider files,
    TftpMetrics metrics,
    ILogger logger,
    TftpServerOptions options,
    TimeProvider time)
{
    private int receiveTimeoutMs = -1;

    private TftpRequest Request => transfer.Request;

    private IPEndPoint Client => transfer.Client;

    private void RecordOnTimeline(string outcome, long? bytes) =>
        options.Timeline?.Record(new Rpc.Contracts.BootEventDto(time.GetUtcNow(), options.MacOf(Client.Address), "tftp", "read", $"{Request.Filename} {outcome}", bytes));

    /// <summary>Serves the request and returns its <see cref="TftpTransferResult"/>.</summary>
    public string Run(CancellationToken stopping)
    {
        using var socket = new Socket(Client.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(transfer.LocalAddress, 0));
        socket.Connect(Client);
        using var onStop = stopping.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            return Serve(socket, stopping);
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return TftpTransferResult.Cancelled;
        }
        catch (SocketException e)
        {
            // ICMP port unreachable after the client went away, or the route vanished.
            TftpLog.NetworkError(logger, Request.Filename, Client, e.SocketErrorCode.ToString());
            return TftpTransferResult.NetworkError;
        }
    }

    private string Serve(Socket socket, CancellationToken stopping)
    {
        if (Request.Opcode == TftpOpcode.WriteRequest)
        {
            SendError(socket, TftpErrorCode.AccessViolation, "Only reads are served");
            return TftpTransferResult.WriteRefused;
        }

        if (Request.Mode == TftpMode.Mail)
        {
            SendError(socket, TftpErrorCode.IllegalOperation, "Mail mode is not supported");
            return TftpTransferResult.ModeRefused;
        }

        if (!TftpPath.TryNormalise(Request.Filename, out var path))
        {
            TftpLog.AccessViolation(logger, Request.Filename, Client);
            SendError(socket, TftpErrorCode.AccessViolation, "Access violation");
            return TftpTransferResult.AccessViolation;
        }

        BootFile? file;
        try
        {
            // The transfer owns this thread, so waiting for a provider that is not done at once blocks nothing else.
            var opening = files.OpenAsync(path, new BootClient(transfer.LocalAddress, Client.Address), stopping);
            file = opening.IsCompletedSuccessfully ? opening.Result : opening.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            TftpLog.TransferFailed(logger, e, Request.Filename, Client);
            SendError(socket, TftpErrorCode.NotDefined, "Cannot read the file");
            return TftpTransferResult.Failed;
        }

        if (file is null)
        {
            TftpLog.NotFound(logger, Request.Filename, Client);
            RecordOnTimeline("not found", null);
            SendError(socket, TftpErrorCode.FileNotFound, "File not found");
            return TftpTransferResult.NotFound;
        }

        using (file)
        {
            var negotiation = TftpNegotiation.Negotiate(Request, file.Length, options);
            using var buffers = new TransferBuffers(negotiation);
            try
            {
                if (negotiation.Acknowledged.Count > 0)
                {
                    var result = SendOptionAck(socket, negotiation, buffers);
                    if (result is not null)
                        return result;
                }

                using IBlockSource source = Request.Mode == TftpMode.Octet
                    ? new OctetBlockSource(file.Content, negotiation.BlockSize)
                    : new NetasciiBlockSource(file.Content);
                return SendFile(socket, source, negotiation, buffers);
            }
            catch (IOException e)
            {
                TftpLog.TransferFailed(logger, e, Request.Filename, Client);
                SendError(socket, TftpErrorCode.NotDefined, "Cannot read the file");
                return TftpTransferResult.Failed;
            }
        }
    }

    /// <summary>Sends the OACK until the client ACKs block 0; a result when the transfer ends here, else null.</summary>
    private string? SendOptionAck(Socket socket, TftpNegotiation negotiation, TransferBuffers buffers)
    {
        var length = TftpOptionAck.Write(buffers.Window, negotiation.Acknowledged);
        for (var attempt = 0; ; attempt++)
        {
            socket.Send(buffers.Window.AsSpan(0, length));
            var wait = WaitForAck(socket, buffers, negotiation.Timeout, firstExpected: 0, lastSent: 0);
            if (wait.Outcome == WaitOutcome.Acked)
                return null;
            if (wait.Outcome == WaitOutcome.ClientError)
                return TftpTransferResult.ClientError;
            if (attempt >= options.MaxRetransmits)
                return GiveUp(socket, attempt);
            metrics.Retransmits.Increment();
        }
    }

    private string SendFile(Socket socket, IBlockSource source, TftpNegotiation negotiation, TransferBuffers buffers)
    {
        var blockSize = negotiation.BlockSize;
        var windowSize = negotiation.WindowSize;
        long firstUnacked = 1, lastRead = 0, lastBlock = -1, fileBytes = 0;
        var retransmits = 0;
        while (true)
        {
            var windowEnd = firstUnacked + windowSize - 1;
            if (lastBlock >= 0)
                windowEnd = Math.Min(windowEnd, lastBlock);
            while (lastRead < windowEnd)
            {
                lastRead++;
                var slot = buffers.Slot(lastRead);
                var read = source.ReadBlock(slot.Slice(TftpData.HeaderSize, blockSize));
                TftpData.WriteHeader(slot, unchecked((ushort)lastRead));
                buffers.SetLength(lastRead, TftpData.HeaderSize + read);
                fileBytes += read;
                if (read < blockSize)
                {
                    lastBlock = lastRead;
                    windowEnd = lastBlock;
                }
            }

            for (var block = firstUnacked; block <= windowEnd; block++)
            {
                var packet = buffers.Packet(block);
                socket.Send(packet);
                metrics.BytesSent.Add(packet.Length - TftpData.HeaderSize);
            }

            var wait = WaitForAck(socket, buffers, negotiation.Timeout, firstUnacked, windowEnd);
            switch (wait.Outcome)
            {
                case WaitOutcome.Acked when wait.Block == lastBlock:
                    TftpLog.Sent(logger, Request.Filename, Client, fileBytes);
                    RecordOnTimeline("sent", fileBytes);
                    return TftpTransferResult.Completed;
                case WaitOutcome.Acked:
                    firstUnacked = wait.Block + 1;
                    retransmits = 0;
                    break;
                case WaitOutcome.ClientError:
                    return TftpTransferResult.ClientError;
                default:
                    if (retransmits >= options.MaxRetransmits)
                        return GiveUp(socket, retransmits);
                    retransmits++;
                    metrics.Retransmits.Increment();
                    break;
            }
        }
    }

    /// <summary>
    /// Waits for an ACK of a block in [<paramref name="firstExpected"/>, <paramref name="lastSent"/>].
    /// The 16-bit block number on the wire is placed just below the last block sent, which is
    /// unambiguous because a window is far shorter than 65536 blocks. Packets that are not that ACK
    /// do not extend the wait: the next receive gets only what is left of the timeout.
    /// </summary>
    private WaitResult WaitForAck(Socket socket, TransferBuffers buffers, TimeSpan timeout, long firstExpected, long lastSent)
    {
        var started = time.GetTimestamp();
        var remaining = timeout;
        while (true)
        {
            SetReceiveTimeout(socket, remaining);
            int length;
            try
            {
                length = socket.Receive(buffers.Receive);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return new WaitResult(WaitOutcome.TimedOut, 0);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                metrics.Dropped(TftpDropReason.UnexpectedInTransfer);
                length = -1;
            }

            if (length >= 0)
            {
                var packet = buffers.Receive[..length];
                if (TftpAck.TryRead(packet, out var wire))
                {
                    var block = lastSent - unchecked((ushort)((ushort)lastSent - wire));
                    if (block >= firstExpected)
                        return new WaitResult(WaitOutcome.Acked, block);
                    metrics.DuplicateAcks.Increment();
                }
                else if (TftpError.TryRead(packet, out var error))
                {
                    TftpLog.ClientError(logger, Client, Request.Filename, (int)error.Code, error.Message);
                    return new WaitResult(WaitOutcome.ClientError, 0);
                }
                else
                {
                    metrics.Dropped(TftpDropReason.UnexpectedInTransfer);
                }
            }

            remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                return new WaitResult(WaitOutcome.TimedOut, 0);
        }
    }

    /// <summary>Sets the socket's receive timeout, skipping the system call when it is already that.</summary>
    private void SetReceiveTimeout(Socket socket, TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);
        if (milliseconds == receiveTimeoutMs)
            return;
        socket.ReceiveTimeout = milliseconds;
        receiveTimeoutMs = milliseconds;
    }

    private string GiveUp(Socket socket, int retransmits)
    {
        TftpLog.TimedOut(logger, Request.Filename, Client, retransmits);
        SendError(socket, TftpErrorCode.NotDefined, "Timed out waiting for an acknowledgement");
        return TftpTransferResult.TimedOut;
    }

    private static void SendError(Socket socket, TftpErrorCode code, string message)
    {
        var error = new TftpError(code, message);
        var buffer = ArrayPool<byte>.Shared.Rent(error.Size);
        try
        {
            var length = error.Write(buffer);
            socket.Send(buffer.AsSpan(0, length));
        }
        catch (SocketException)
        {
            // Best effort: the client may already be gone.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum WaitOutcome
    {
        Acked,
        TimedOut,
        ClientError,
    }

    private readonly record struct WaitResult(WaitOutcome Outcome, long Block);
}
