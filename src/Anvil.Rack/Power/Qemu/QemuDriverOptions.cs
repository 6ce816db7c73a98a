namespace Anvil.Rack.Power.Qemu;

/// <summary>Limits of the QEMU driver; the caller's cancellation token stays the action's overall deadline.</summary>
internal sealed record QemuDriverOptions
{
    /// <summary>
    /// How long one action (connecting plus its few QMP commands) may take. QEMU serves one QMP client per socket at a
    /// time, so a second client waits for the first; this bounds that wait too.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
