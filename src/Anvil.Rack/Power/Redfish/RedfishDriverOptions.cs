namespace Anvil.Rack.Power.Redfish;

/// <summary>Time limits of the Redfish driver; the caller's cancellation token stays the action's overall deadline.</summary>
internal sealed record RedfishDriverOptions
{
    /// <summary>How long a TCP connect plus TLS handshake may take before the BMC counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one request may take; BMCs are slow, but not this slow.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long closing the session may take. It runs even after the action's deadline because BMCs
    /// have only a handful of session slots and a leaked session locks the next action out.
    /// </summary>
    public TimeSpan SessionCloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
