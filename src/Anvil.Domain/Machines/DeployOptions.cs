namespace Anvil.Domain.Machines;

/// <summary>
/// The deploy parameters that land on the machine. The OS and release are already resolved
/// (aliases like "22.04" or a bare OS name are the caller's job, it knows the boot images).
/// Null means "leave the machine's value as it is".
/// </summary>
public sealed record DeployOptions
{
    public required string Osystem { get; init; }
    public required string DistroSeries { get; init; }
    public string? HweKernel { get; init; }
    public string? LicenseKey { get; init; }
    /// <summary>Used only when the machine is Ready and gets allocated by the deploy.</summary>
    public string? AgentName { get; init; }
    public string? Comment { get; init; }
    public bool EphemeralDeploy { get; init; }
    public bool EnableHwSync { get; init; }
    public bool EnableKernelCrashDump { get; init; }
}
