using Microsoft.Extensions.Logging;

namespace Anvil.Region.Api.Framework;

/// <summary>API framework log messages; event ids 4000–4099. Never pass secrets or query strings.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path} ({Handler} {Action})")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path, string handler, string action);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "API authentication refused: {Reason}")]
    public static partial void AuthenticationRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Response to {Method} {Path} had already started when it failed; aborting the connection")]
    public static partial void FailedAfterResponseStarted(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "{Method} {Path} refused with {Status}: {Message}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string message);
}
