using Anvil.Domain.Power;

namespace Anvil.Rack.Power;

/// <summary>
/// Runs one power request from the region: picks the driver, gives every BMC exchange its own
/// deadline, and answers with the state afterwards (on, off, unknown) — or the failure's kind and
/// message. After on, off or cycle it re-reads the state until the BMC reports the requested one,
/// waiting <see cref="ConfirmationWaits"/> between reads as MAAS does; a BMC that never gets there
/// is a <see cref="PowerErrorKind.StateNotReached"/> failure. Parameters arrive as MAAS names;
/// secrets never go into a message.
/// </summary>
public sealed class PowerActions(PowerDriverRegistry drivers, TimeSpan deadline, TimeProvider? clock = null)
{
    /// <summary>
    /// MAAS's pauses between state reads after a change: 1, 2, 2, 4, 6, 8 and 12 s (35 s in all), from
    /// its rack power driver base class (the <c>wait_time</c> default in provisioningserver's power drivers).
    /// </summary>
    public static IReadOnlyList<TimeSpan> MaasConfirmationWaits { get; } = [.. new[] { 1, 2, 2, 4, 6, 8, 12 }.Select(s => TimeSpan.FromSeconds(s))];

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    public IReadOnlyList<TimeSpan> ConfirmationWaits { get; init; } = MaasConfirmationWaits;

    public async Task<PowerState> RunAsync(string action, string powerType, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var driver = drivers.Get(powerType);
        var parameters = new PowerParameters(PowerDrivers.All.GetValueOrDefault(powerType) ?? driver.Description, values);
        PowerState? wanted = action switch
        {
            "on" => PowerState.On,
            "off" => PowerState.Off,
            "cycle" => PowerState.On,
            "pxe" or "query" => null,
            _ => throw new PowerException(PowerErrorKind.InvalidParameters, $"'{action}' is not a power action (on, off, cycle, pxe, query)."),
        };
        switch (action)
        {
            case "on":
                await WithDeadlineAsync(powerType, action, t => driver.PowerOnAsync(parameters, t), ct);
                break;
            case "off":
                await WithDeadlineAsync(powerType, action, t => driver.PowerOffAsync(parameters, t), ct);
                break;
            case "cycle":
                await WithDeadlineAsync(powerType, action, t => driver.PowerCycleAsync(parameters, t), ct);
                break;
            case "pxe":
                await WithDeadlineAsync(powerType, action, t => driver.SetNextBootPxeAsync(parameters, t), ct);
                break;
        }

        var state = await QueryAsync(driver, parameters, powerType, ct);
        if (wanted is not { } target || state == target || !driver.Description.Queryable)
            return state;
        return await ConfirmAsync(driver, parameters, powerType, action, target, state, ct);
    }

    /// <summary>
    /// Reads again after each pause until the state is the wanted one. A read that fails for want of
    /// an answer is tried again at the next pause; credentials or parameters that are wrong end it at once.
    /// </summary>
    private async Task<PowerState> ConfirmAsync(
        IPowerDriver driver, PowerParameters parameters, string powerType, string action, PowerState wanted, PowerState last, CancellationToken ct)
    {
        PowerException? lastError = null;
        foreach (var wait in ConfirmationWaits)
        {
            await Task.Delay(wait, time, ct);
            try
            {
                last = await QueryAsync(driver, parameters, powerType, ct);
                lastError = null;
                if (last == wanted)
                    return last;
            }
            catch (PowerException e) when (e.Kind is PowerErrorKind.Unreachable or PowerErrorKind.ProtocolError)
            {
                lastError = e;
            }
        }

        var waited = ConfirmationWaits.Aggregate(TimeSpan.Zero, (sum, w) => sum + w);
        throw lastError ?? new PowerException(
            PowerErrorKind.StateNotReached,
            $"The BMC never transitioned from {Name(last)} to {Name(wanted)}: it still reported {Name(last)} {waited.TotalSeconds:0} s after power {action}.");
    }

    private Task<PowerState> QueryAsync(IPowerDriver driver, PowerParameters parameters, string powerType, CancellationToken ct) =>
        WithDeadlineAsync(powerType, "query", t => driver.QueryAsync(parameters, t), ct);

    private async Task WithDeadlineAsync(string powerType, string action, Func<CancellationToken, Task> work, CancellationToken ct) =>
        await WithDeadlineAsync(powerType, action, async t =>
        {
            await work(t);
            return true;
        }, ct);

    private async Task<T> WithDeadlineAsync<T>(string powerType, string action, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(deadline);
        try
        {
            return await work(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"The {powerType} BMC did not complete '{action}' within {deadline.TotalSeconds:0} s.");
        }
    }

    private static string Name(PowerState state) => state.ToString().ToLowerInvariant();
}
