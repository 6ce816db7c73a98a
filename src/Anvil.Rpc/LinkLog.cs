using Microsoft.Extensions.Logging;

namespace Anvil.Rpc;

internal static partial class LinkLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Link to {Peer} ended: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Link call {Method} from {Peer} failed")]
    public static partial void CallFailed(ILogger logger, string method, string peer, Exception error);
}
