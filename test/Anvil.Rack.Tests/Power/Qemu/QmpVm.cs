using System.Security.Cryptography;
using Anvil.Rack.Power.Qemu;
using Anvil.Testing.Network;

namespace Anvil.Rack.Tests.Power.Qemu;

/// <summary>
/// A real qemu started the lab's way (<c>-S -no-shutdown</c>, TCG, no disks, no network, machine
/// <c>none</c> so nothing executes) with two QMP sockets: <see cref="Socket"/> for the driver, and an
/// observer monitor the test reads events from. Disposing kills qemu and removes the socket folder.
/// </summary>
internal sealed class QmpVm : IAsyncDisposable
{
    private readonly BackgroundProcess process;
    private readonly string folder;
    private QmpConnection? observer;

    private QmpVm(BackgroundProcess process, string folder)
    {
        this.process = process;
        this.folder = folder;
    }

    public string Socket => System.IO.Path.Combine(folder, "qmp.sock");

    private string ObserverSocket => System.IO.Path.Combine(folder, "observer.sock");

    public static async Task<QmpVm> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("anvil-qmp-").FullName;
        var process = BackgroundProcess.Start("qemu-system-x86_64", [
            "-accel", "tcg", "-S", "-no-shutdown", "-nographic", "-nodefaults", "-machine", "none", "-m", "64",
            "-qmp", $"unix:{System.IO.Path.Combine(folder, "qmp.sock")},server=on,wait=off",
            "-qmp", $"unix:{System.IO.Path.Combine(folder, "observer.sock")},server=on,wait=off",
        ]);
        var vm = new QmpVm(process, folder);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!File.Exists(vm.Socket) || !File.Exists(vm.ObserverSocket))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"qemu did not open its QMP sockets. Output:\n{process.Output}");
                await Task.Delay(20);
            }

            // qemu creates the socket file (bind) a moment before it listens: retry a refused connect.
            while (true)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    vm.observer = await QmpConnection.OpenAsync(vm.ObserverSocket, timeout.Token);
                    return vm;
                }
                catch (Anvil.Rack.Power.PowerException e) when (e.InnerException is System.Net.Sockets.SocketException && DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(20);
                }
            }
        }
        catch
        {
            await vm.DisposeAsync();
            throw;
        }
    }

    /// <summary>The run status, read on the observer monitor.</summary>
    public async Task<string> StatusAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return (await observer!.ExecuteAsync("query-status", timeout.Token))!["status"]!.GetValue<string>();
    }

    /// <summary>Every event (RESUME, STOP, RESET …) qemu emitted so far, in order; reading syncs with qemu first.</summary>
    public async Task<IReadOnlyList<string>> EventsAsync()
    {
        await StatusAsync();
        return [.. observer!.Events];
    }

    public async Task ClearEventsAsync()
    {
        await StatusAsync();
        observer!.Events.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (observer is not null)
            await observer.DisposeAsync();
        await process.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    public static string RandomName() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
}
