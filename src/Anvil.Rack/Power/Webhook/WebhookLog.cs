using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Webhook;

/// <summary>The webhook driver's log events; ids 5530-5559. URLs are logged without query or user info (they may carry tokens).</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 5530, Level = LogLevel.Information, Message = "Webhook machine at {Url} is already on; left alone")]
    public static partial void AlreadyOn(ILogger logger, string url);

    [LoggerMessage(EventId = 5531, Level = LogLevel.Information, Message = "Webhook {Action} sent to {Url}")]
    public static partial void Sent(ILogger logger, string action, string url);

    [LoggerMessage(EventId = 5532, Level = LogLevel.Debug, Message = "Webhook query of {Url} matched neither power_on_regex nor power_off_regex")]
    public static partial void NoRegexMatched(ILogger logger, string url);
}
