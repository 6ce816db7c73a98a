using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Qemu;

/// <summary>The QEMU driver's log events; ids 5560-5589.</summary>
internal static partial class QemuLog
{
    [LoggerMessage(EventId = 5560, Level = LogLevel.Information, Message = "QEMU VM at {Socket} is already running; left alone")]
    public static partial void AlreadyOn(ILogger logger, string socket);

    [LoggerMessage(EventId = 5561, Level = LogLevel.Information, Message = "QEMU VM at {Socket}: {Action} (was {Status})")]
    public static partial void Acted(ILogger logger, string socket, string action, string status);
}
