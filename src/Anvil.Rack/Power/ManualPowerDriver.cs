using Anvil.Domain.Power;

namespace Anvil.Rack.Power;

/// <summary>
/// No BMC: the operator switches the machine. The state is always unknown and every action only
/// succeeds (MAAS's <c>manual</c> type); the region records the request as an event for the operator.
/// </summary>
internal sealed class ManualPowerDriver : IPowerDriver
{
    public PowerDriverDescription Description => PowerDrivers.Manual;

    public Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct) => Task.FromResult(PowerState.Unknown);

    public Task PowerOnAsync(PowerParameters parameters, CancellationToken ct) => Task.CompletedTask;

    public Task PowerOffAsync(PowerParameters parameters, CancellationToken ct) => Task.CompletedTask;

    public Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct) => Task.CompletedTask;

    public Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct) =>
        throw new PowerException(PowerErrorKind.NotSupported, "A manually powered machine cannot be told to network-boot; set it in its firmware.");
}
