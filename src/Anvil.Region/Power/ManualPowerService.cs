using Anvil.Domain.Machines;

namespace Anvil.Region.Power;

/// <summary>
/// The power service while only the <c>manual</c> driver exists: an operator presses the button,
/// so requests do nothing and the state is unknown. BMC drivers (IPMI, Redfish, …) replace this
/// with rack-dispatched power control.
/// </summary>
internal sealed class ManualPowerService : IPowerService
{
    public IReadOnlyCollection<string> PowerTypes { get; } = ["manual"];

    public bool CanQuery(string powerType) => false;

    public Task ExecuteAsync(string systemId, string powerType, PowerRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string> QueryAsync(string systemId, string powerType, CancellationToken cancellationToken) =>
        Task.FromResult(PowerState.Unknown);
}
