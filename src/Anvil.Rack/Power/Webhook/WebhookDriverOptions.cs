namespace Anvil.Rack.Power.Webhook;

/// <summary>Limits of the webhook driver; the caller's cancellation token stays the action's overall deadline.</summary>
internal sealed record WebhookDriverOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a power cycle re-queries while waiting for the machine to report off.</summary>
    public TimeSpan CyclePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The operator's regexes run on the rack: bound them so a pathological one cannot stall it.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much of a query answer the regexes see; a status page is small.</summary>
    public int MaxQueryBodyBytes { get; init; } = 64 * 1024;
}
