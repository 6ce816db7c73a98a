using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Redfish;

/// <summary>The Redfish driver's log events; ids 5500-5529. Never pass power_pass or a session token.</summary>
internal static partial class RedfishLog
{
    [LoggerMessage(EventId = 5500, Level = LogLevel.Debug, Message = "Redfish BMC {Bmc} offers no sessions; using HTTP basic authentication")]
    public static partial void BasicAuthFallback(ILogger logger, string bmc);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Warning, Message = "Could not close the Redfish session on {Bmc}: {Reason}")]
    public static partial void SessionCloseFailed(ILogger logger, string bmc, string reason);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Information, Message = "Redfish system {System} on {Bmc} is already on; left alone")]
    public static partial void AlreadyOn(ILogger logger, string system, string bmc);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Information, Message = "Redfish system {System} on {Bmc}: reset {ResetType}")]
    public static partial void ResetSent(ILogger logger, string system, string bmc, string resetType);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Information, Message = "Redfish system {System} on {Bmc} set to network boot once")]
    public static partial void PxeOnce(ILogger logger, string system, string bmc);

    [LoggerMessage(EventId = 5505, Level = LogLevel.Information, Message = "Redfish system {System} on {Bmc} is already off; left alone")]
    public static partial void AlreadyOff(ILogger logger, string system, string bmc);
}
