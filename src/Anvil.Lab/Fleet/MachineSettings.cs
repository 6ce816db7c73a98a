namespace Anvil.Lab.Fleet;

/// <summary>How simulated machines behave: firmware time, patience, and what they really download.</summary>
internal sealed record MachineSettings
{
    /// <summary>
    /// Power-on to the first DHCP DISCOVER. A real server's POST takes minutes; below 10 s a machine
    /// that boots again right after its last boot is served the rack's cached boot config (the rack
    /// reuses the region's answer per MAC for 10 s), i.e. the previous purpose, so keep it above.
    /// </summary>
    public TimeSpan FirmwareTime { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>How long each simulated script "runs".</summary>
    public TimeSpan ScriptTime { get; init; } = TimeSpan.Zero;

    public TimeSpan DhcpTimeout { get; init; } = TimeSpan.FromSeconds(4);

    public int DhcpAttempts { get; init; } = 8;

    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Put each lease on the interface and send from it; off when the fleet cannot own addresses (e.g. on loopback).</summary>
    public bool BindLeases { get; init; } = true;

    /// <summary>Download the deploy image from the rack (and drop it), as an installer would.</summary>
    public bool FetchImage { get; init; } = true;

    /// <summary>After iPXE finds no image, the firmware tries the network again after this long.</summary>
    public TimeSpan NoImageRetry { get; init; } = TimeSpan.FromSeconds(10);
}
