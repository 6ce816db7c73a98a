using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Dhcp.Server;

/// <summary>DHCP server log messages; event ids 2000–2099.</summary>
internal static partial class DhcpLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "DHCP server started; {Leases} leases loaded from {DataDirectory}")]
    public static partial void Started(ILogger logger, int leases, string dataDirectory);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "DHCP server stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "DHCP listening on {Interface}")]
    public static partial void Listening(ILogger logger, string @interface);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "DHCP no longer listening on {Interface}")]
    public static partial void NotListening(ILogger logger, string @interface);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "DHCP cannot listen on {Interface}; its subnets are not served until the next config")]
    public static partial void ListenFailed(ILogger logger, string @interface, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "DHCP request on {Interface} failed inside the server; dropped")]
    public static partial void ProcessingFailed(ILogger logger, string @interface, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Critical, Message = "DHCP receive loop on {Interface} died; the DHCP service is failed")]
    public static partial void LoopDied(ILogger logger, string @interface, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "DHCP config applied: {Subnets} subnets, {Hosts} host reservations")]
    public static partial void Applied(ILogger logger, int subnets, int hosts);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "DHCP lease journal compacted to {Leases} leases")]
    public static partial void Compacted(ILogger logger, int leases);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "DHCP lease sweep or journal compaction failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
