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
/// </summary>
internal sealed class TftpTransfer(
    TftpTransferRequest transfer,
    IBootFileProvider files,
    TftpMetrics metrics,
    ILogger logger,
    TftpServerOptions options,
    TimeProvider time)
{
    private TftpRequest Request => transfer.Request;
    private IPEndPoint Client => transfer.Client;

    /// <summary>Serves the request and returns its <see cref="TftpTransferResult"/>.</summary>
    public async Task<string> RunAsync(CancellationToken stopping)
    {
        using var socket = new Socket(Client.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(transfer.LocalAddress, 0));
        socket.Connect(Client);
        try
        {
            return await ServeAsync(socket, stopping);
        }
        catch (SocketException e)
        {
            // ICMP port unreachable after the client went away, or the route vanished.
            TftpLog.NetworkError(logger, Request.Filename, Client, e.SocketErrorCode.ToString());
            return TftpTransferResult.NetworkError;
        }
    }

    private async Task<string> ServeAsync(Socket socket, CancellationToken stopping)
    {
        if (Request.Opcode == TftpOpcode.WriteRequest)
        {
            await SendErrorAsync(socket, TftpErrorCode.AccessViolation, "Only reads are served", stopping);
            return TftpTransferResult.WriteRefused;
        }

        if (Request.Mode == TftpMode.Mail)
        {
            await SendErrorAsync(socket, TftpErrorCode.IllegalOperation, "Mail mode is not supported", stopping);
            return TftpTransferResult.ModeRefused;
        }

        if (!TftpPath.TryNormalise(Request.Filename, out var path))
        {
            TftpLog.AccessViolation(logger, Request.Filename, Client);
            await SendErrorAsync(socket, TftpErrorCode.AccessViolation, "Access violation", stopping);
            return TftpTransferResult.AccessViolation;
        }

        BootFile? file;
        try
        {
            file = await files.OpenAsync(path, new BootClient(transfer.LocalAddress, Client.Address), stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            TftpLog.TransferFailed(logger, e, Request.Filename, Client);
            await SendErrorAsync(socket, TftpErrorCode.NotDefined, "Cannot read the file", stopping);
            return TftpTransferResult.Failed;
        }

        if (file is null)
        {
            TftpLog.NotFound(logger, Request.Filename, Client);
            await SendErrorAsync(socket, TftpErrorCode.FileNotFound, "File not found", stopping);
            return TftpTransferResult.NotFound;
        }

        await using (file)
        {
            var negotiation = TftpNegotiation.Negotiate(Request, file.Length, options);
            var buffers = new TransferBuffers(negotiation);
            using var timer = new AckTimer(time, stopping);
            try
            {
                if (negotiation.Acknowledged.Count > 0)
                {
                    var result = await SendOptionAckAsync(socket, negotiation, buffers, timer, stopping);
                    if (result is not null)
                        return result;
                }

                if (Request.Mode == TftpMode.Octet)
                    return await SendFileAsync(socket, new OctetBlockSource(file.Content), negotiation, buffers, timer, stopping);
                using var netascii = new NetasciiBlockSource(file.Content);
                return await SendFileAsync(socket, netascii, negotiation, buffers, timer, stopping);
            }
            catch (IOException e)
            {
                TftpLog.TransferFailed(logger, e, Request.Filename, Client);
                await SendErrorAsync(socket, TftpErrorCode.NotDefined, "Cannot read the file", stopping);
                return TftpTransferResult.Failed;
            }
            finally
            {
                buffers.Dispose();
            }
        }
    }

    /// <summary>Sends the OACK until the client ACKs block 0; a result when the transfer ends here, else null.</summary>
    private async Task<string?> SendOptionAckAsync(
        Socket socket, TftpNegotiation negotiation, TransferBuffers buffers, AckTimer timer, CancellationToken stopping)
    {
        var length = TftpOptionAck.Write(buffers.Window, negotiation.Acknowledged);
        for (var attempt = 0; ; attempt++)
        {
            await socket.SendAsync(buffers.Window.AsMemory(0, length), SocketFlags.None, stopping);
            var wait = await WaitForAckAsync(socket, buffers, timer, negotiation.Timeout, firstExpected: 0, lastSent: 0, stopping);
            if (wait.Outcome == WaitOutcome.Acked)
                return null;
            if (wait.Outcome == WaitOutcome.ClientError)
                return TftpTransferResult.ClientError;
            if (attempt >= options.MaxRetransmits)
                return await GiveUpAsync(socket, attempt, stopping);
            metrics.Retransmits.Increment();
        }
    }

    private async Task<string> SendFileAsync(
        Socket socket, IBlockSource source, TftpNegotiation negotiation, TransferBuffers buffers, AckTimer timer, CancellationToken stopping)
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
                var read = await source.ReadBlockAsync(slot.Slice(TftpData.HeaderSize, blockSize), stopping);
                TftpData.WriteHeader(slot.Span, unchecked((ushort)lastRead));
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
                await socket.SendAsync(packet, SocketFlags.None, stopping);
                metrics.BytesSent.Add(packet.Length - TftpData.HeaderSize);
            }

            var wait = await WaitForAckAsync(socket, buffers, timer, negotiation.Timeout, firstUnacked, windowEnd, stopping);
            switch (wait.Outcome)
            {
                case WaitOutcome.Acked when wait.Block == lastBlock:
                    TftpLog.Sent(logger, Request.Filename, Client, fileBytes);
                    return TftpTransferResult.Completed;
                case WaitOutcome.Acked:
                    firstUnacked = wait.Block + 1;
                    retransmits = 0;
                    break;
                case WaitOutcome.ClientError:
                    return TftpTransferResult.ClientError;
                default:
                    if (retransmits >= options.MaxRetransmits)
                        return await GiveUpAsync(socket, retransmits, stopping);
                    retransmits++;
                    metrics.Retransmits.Increment();
                    break;
            }
        }
    }

    /// <summary>
    /// Waits for an ACK of a block in [<paramref name="firstExpected"/>, <paramref name="lastSent"/>].
    /// The 16-bit block number on the wire is placed just below the last block sent, which is
    /// unambiguous because a window is far shorter than 65536 blocks.
    /// </summary>
    private async Task<WaitResult> WaitForAckAsync(
        Socket socket, TransferBuffers buffers, AckTimer timer, TimeSpan timeout, long firstExpected, long lastSent, CancellationToken stopping)
    {
        var token = timer.Start(timeout);
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffers.Receive, SocketFlags.None, token);
            }
            catch (OperationCanceledException) when (timer.Expired)
            {
                return new WaitResult(WaitOutcome.TimedOut, 0);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                metrics.Dropped(TftpDropReason.UnexpectedInTransfer);
                continue;
            }

            stopping.ThrowIfCancellationRequested();
            var packet = buffers.Receive.Span[..length];
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
    }

    private async Task<string> GiveUpAsync(Socket socket, int retransmits, CancellationToken stopping)
    {
        TftpLog.TimedOut(logger, Request.Filename, Client, retransmits);
        await SendErrorAsync(socket, TftpErrorCode.NotDefined, "Timed out waiting for an acknowledgement", stopping);
        return TftpTransferResult.TimedOut;
    }

    private static async Task SendErrorAsync(Socket socket, TftpErrorCode code, string message, CancellationToken stopping)
    {
        var error = new TftpError(code, message);
        var buffer = ArrayPool<byte>.Shared.Rent(error.Size);
        try
        {
            var length = error.Write(buffer);
            await socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, stopping);
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
