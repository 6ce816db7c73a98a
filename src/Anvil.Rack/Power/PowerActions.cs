using Anvil.Domain.Power;

namespace Anvil.Rack.Power;

/// <summary>
/// Runs one power request from the region: picks the driver, applies the per-driver deadline, and
/// answers with the state afterwards (on, off, unknown) — or the failure's kind and message.
/// Parameters arrive as MAAS names; secrets never go into a message.
/// </summary>
public sealed class PowerActions(PowerDriverRegistry drivers, TimeSpan deadline)
{
    public async Task<PowerState> RunAsync(string action, string powerType, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var driver = drivers.Get(powerType);
        var parameters = new PowerParameters(PowerDrivers.All.GetValueOrDefault(powerType) ?? driver.Description, values);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(deadline);
        try
        {
            switch (action)
            {
                case "on":
                    await driver.PowerOnAsync(parameters, timeout.Token);
                    break;
                case "off":
                    await driver.PowerOffAsync(parameters, timeout.Token);
                    break;
                case "cycle":
                    await driver.PowerCycleAsync(parameters, timeout.Token);
                    break;
                case "pxe":
                    await driver.SetNextBootPxeAsync(parameters, timeout.Token);
                    break;
                case "query":
                    break;
                default:
                    throw new PowerException(PowerErrorKind.InvalidParameters, $"'{action}' is not a power action (on, off, cycle, pxe, query).");
            }

            return await driver.QueryAsync(parameters, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"The {powerType} BMC did not complete '{action}' within {deadline.TotalSeconds:0} s.");
        }
    }
}
