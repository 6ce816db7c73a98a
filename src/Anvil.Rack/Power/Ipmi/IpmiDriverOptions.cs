namespace Anvil.Rack.Power.Ipmi;

/// <summary>How patient the IPMI driver is with a BMC, and where it finds it.</summary>
public sealed record IpmiDriverOptions
{
    /// <summary>How long one request waits for its answer before it is sent again.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sends of one request before the BMC is declared unreachable (so 1 s × 3 by default).</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>The BMC's UDP port when <c>power_address</c> names none; 623 is the RMCP port, tests use another.</summary>
    public int DefaultPort { get; init; } = 623;

    /// <summary>Throws with every problem listed when a value cannot work.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (RequestTimeout <= TimeSpan.Zero)
            problems.Add("RequestTimeout must be positive (default 1 s).");
        if (Attempts < 1)
            problems.Add("Attempts must be 1 or more (default 3).");
        if (DefaultPort is < 1 or > 65535)
            problems.Add("DefaultPort must be a UDP port, 1-65535 (default 623).");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid IPMI driver options: " + string.Join(" ", problems));
    }
}
