namespace Anvil.Domain.Machines;

/// <summary>The commissioning flags kept on the machine for the ephemeral environment to read.</summary>
public sealed record CommissionOptions
{
    public bool EnableSsh { get; init; }
    public bool SkipBmcConfig { get; init; }
    public bool SkipNetworking { get; init; }
    public bool SkipStorage { get; init; }
}
