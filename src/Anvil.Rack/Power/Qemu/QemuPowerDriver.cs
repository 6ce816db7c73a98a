using System.Text.Json.Nodes;
using Anvil.Domain.Power;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Qemu;

/// <summary>
/// Powers the lab's QEMU VMs through QMP on the Unix socket in <c>power_address</c>.
/// <para>
/// Lab convention: qemu is started with <c>-S -no-shutdown -qmp unix:&lt;path&gt;,server=on,wait=off</c>,
/// so the process stands for the machine's power supply and outlives a power-off. A VM whose CPUs
/// are stopped (<c>prelaunch</c>, <c>paused</c>, or <c>shutdown</c> after the guest turned itself off)
/// is off; a running one is on. Power off is <c>stop</c> then <c>system_reset</c>, which leaves the VM
/// in <c>prelaunch</c>, so the next power on is <c>cont</c> and starts from the firmware like a cold boot
/// (a stopped VM that was not reset is reset first). Cycle is <c>system_reset</c>, followed by
/// <c>cont</c> when the VM was not running. Killing qemu (<c>quit</c>) is never used: the rack could
/// not start it again. The boot device is fixed on qemu's command line, so PXE-next-boot is not supported.
/// </para>
/// </summary>
internal sealed class QemuPowerDriver(QemuDriverOptions options, ILogger<QemuPowerDriver> logger) : IPowerDriver
{
    public PowerDriverDescription Description => PowerDrivers.Qemu;

    public Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct) =>
        RunAsync(parameters, async (qmp, token) => QemuRunState.ToPowerState(await StatusAsync(qmp, token)), ct);

    public Task PowerOnAsync(PowerParameters parameters, CancellationToken ct) =>
        RunAsync(parameters, async (qmp, token) =>
        {
            var status = await StatusAsync(qmp, token);
            if (QemuRunState.ToPowerState(status) == PowerState.On)
            {
                QemuLog.AlreadyOn(logger, qmp.Path);
                return true;
            }

            if (status != QemuRunState.Prelaunch)
                await qmp.ExecuteAsync("system_reset", token);
            await qmp.ExecuteAsync("cont", token);
            QemuLog.Acted(logger, qmp.Path, "power on", status ?? "?");
            return true;
        }, ct);

    public Task PowerOffAsync(PowerParameters parameters, CancellationToken ct) =>
        RunAsync(parameters, async (qmp, token) =>
        {
            var status = await StatusAsync(qmp, token);
            if (status == QemuRunState.Prelaunch)
                return true;
            await qmp.ExecuteAsync("stop", token);
            await qmp.ExecuteAsync("system_reset", token);
            QemuLog.Acted(logger, qmp.Path, "power off", status ?? "?");
            return true;
        }, ct);

    public Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct) =>
        RunAsync(parameters, async (qmp, token) =>
        {
            var status = await StatusAsync(qmp, token);
            await qmp.ExecuteAsync("system_reset", token);
            if (status != QemuRunState.Running)
                await qmp.ExecuteAsync("cont", token);
            QemuLog.Acted(logger, qmp.Path, "power cycle", status ?? "?");
            return true;
        }, ct);

    public Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct) =>
        throw new PowerException(PowerErrorKind.NotSupported, "The QEMU driver cannot change the boot device; the lab sets it on qemu's command line (-boot n).");

    private static async Task<string?> StatusAsync(QmpConnection qmp, CancellationToken ct) =>
        (await qmp.ExecuteAsync("query-status", ct))?["status"] is JsonValue value && value.TryGetValue<string>(out var status) ? status : null;

    private async Task<T> RunAsync<T>(PowerParameters parameters, Func<QmpConnection, CancellationToken, Task<T>> action, CancellationToken ct)
    {
        var path = parameters.Require("power_address");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.CommandTimeout);
        try
        {
            await using var qmp = await QmpConnection.OpenAsync(path, deadline.Token);
            return await action(qmp, deadline.Token);
        }
        catch (QmpException e)
        {
            throw new PowerException(PowerErrorKind.ProtocolError, $"QEMU at {path} refused {e.Command}: {e.ErrorClass}: {e.Description}", e);
        }
        catch (OperationCanceledException e)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"QEMU at {path} did not answer within the deadline; another QMP client may hold the monitor.", e);
        }
        catch (IOException e)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"The QMP connection to {path} broke ({e.Message}).", e);
        }
    }
}
