using Microsoft.Extensions.Logging;

namespace Anvil.Region.Metadata;

/// <summary>Metadata server log messages; event ids 4100–4199. Never pass tokens, secrets or script output.</summary>
internal static partial class MetadataLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Metadata authentication refused: {Reason}")]
    public static partial void AuthenticationRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Metadata request signed with a token that is no node's")]
    public static partial void UnknownToken(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Unhandled exception answering metadata {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Metadata {Method} {Path} refused with {Status}: {Message}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Node {SystemId} signalled {Signal} while {Before}; now {After}")]
    public static partial void Signalled(ILogger logger, string systemId, string signal, string before, string after);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Commissioning output of {Script} on {SystemId} could not be processed")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string systemId, string script);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Status report from {SystemId} refused: {Reason}")]
    public static partial void StatusReportRefused(ILogger logger, string systemId, string reason);
}
