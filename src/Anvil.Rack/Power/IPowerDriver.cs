using Anvil.Domain.Power;

namespace Anvil.Rack.Power;

/// <summary>
/// One kind of BMC, driven from the rack. Implementations speak the protocol themselves (no
/// ipmitool, no curl), honour the cancellation token as the action's deadline, and report failures
/// as <see cref="PowerException"/> with a kind the region can show the operator.
/// </summary>
public interface IPowerDriver
{
    PowerDriverDescription Description { get; }

    Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct);

    /// <summary>Turns the machine on. A machine that is already on is left alone — never cycled.</summary>
    Task PowerOnAsync(PowerParameters parameters, CancellationToken ct);

    Task PowerOffAsync(PowerParameters parameters, CancellationToken ct);

    Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct);

    /// <summary>Asks the BMC to network-boot on the next start; throws <see cref="PowerErrorKind.NotSupported"/> when it cannot.</summary>
    Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct);
}

/// <summary>MAAS's power states.</summary>
public enum PowerState
{
    Unknown,
    On,
    Off,
    Error,
}
