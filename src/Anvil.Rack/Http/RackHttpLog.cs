using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Http;

/// <summary>Log messages of the rack's HTTP boot server; event ids 7300–7399.</summary>
internal static partial class RackHttpLog
{
    [LoggerMessage(EventId = 7300, Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Bytes} bytes {Milliseconds} ms {Client}")]
    public static partial void Request(ILogger logger, string method, string path, int status, long bytes, long milliseconds, string client);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "HTTP boot server listening on {Urls}")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Boot configuration for {Path} from {Client} unavailable; answering 503")]
    public static partial void BootConfigUnavailable(ILogger logger, Exception exception, string path, string client);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Region {Region} could not be reached for {Method} {Path}; trying the next region")]
    public static partial void RegionUnreachable(ILogger logger, string region, string method, string path, Exception exception);

    [LoggerMessage(EventId = 7304, Level = LogLevel.Warning, Message = "No region answered {Method} {Path}; answering 502")]
    public static partial void NoRegionAnswered(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 7305, Level = LogLevel.Warning, Message = "Region {Region} failed during {Method} {Path}; answering 502")]
    public static partial void RegionFailed(ILogger logger, string region, string method, string path, Exception exception);

    [LoggerMessage(EventId = 7306, Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
