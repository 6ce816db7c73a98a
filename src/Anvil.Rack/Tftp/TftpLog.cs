using System.Net;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Tftp;

/// <summary>The TFTP server's log events; ids 5200-5299 belong to TFTP.</summary>
internal static partial class TftpLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "TFTP server listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "TFTP server on {Endpoint} stopped")]
    public static partial void Stopped(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Critical, Message = "TFTP receive loop on {Endpoint} failed; the server is dead")]
    public static partial void ReceiveLoopFailed(ILogger logger, Exception exception, IPEndPoint endpoint);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Handling a TFTP packet from {Client} threw; dropped")]
    public static partial void PacketHandlingFailed(ILogger logger, Exception exception, IPEndPoint client);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Debug, Message = "TFTP sent {File} to {Client}: {Bytes} bytes")]
    public static partial void Sent(ILogger logger, string file, IPEndPoint client, long bytes);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "TFTP {File} requested by {Client} not found")]
    public static partial void NotFound(ILogger logger, string file, IPEndPoint client);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "TFTP refused {File} requested by {Client}: the name leaves the boot directory")]
    public static partial void AccessViolation(ILogger logger, string file, IPEndPoint client);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Information, Message = "TFTP transfer of {File} to {Client} gave up after {Retransmits} retransmissions")]
    public static partial void TimedOut(ILogger logger, string file, IPEndPoint client, int retransmits);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Error, Message = "TFTP transfer of {File} to {Client} failed")]
    public static partial void TransferFailed(ILogger logger, Exception exception, string file, IPEndPoint client);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Debug, Message = "TFTP client {Client} ended the transfer of {File}: error {Code} {Message}")]
    public static partial void ClientError(ILogger logger, IPEndPoint client, string file, int code, string message);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Warning, Message = "TFTP request from {Client} dropped: {Capacity} transfers already waiting")]
    public static partial void QueueFull(ILogger logger, IPEndPoint client, int capacity);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Information, Message = "TFTP transfer of {File} to {Client} ended by a network error: {Error}")]
    public static partial void NetworkError(ILogger logger, string file, IPEndPoint client, string error);
}
