using Microsoft.Extensions.Logging;

namespace Anvil.Rack.RegionLink;

internal static partial class RegionLinkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot link to region {Region}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string region, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Method} to region {Region} failed, trying another region: {Reason}")]
    public static partial void FailedOver(ILogger logger, string method, string region, string reason);
}
