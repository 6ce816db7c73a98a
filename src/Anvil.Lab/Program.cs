using System.Net;
using Anvil.Lab.Fleet;
using Anvil.Lab.LabCommands;

namespace Anvil.Lab;

/// <summary>
/// <c>anvil-lab fleet …</c>: the simulated fleet (see <see cref="FleetOptions"/>).
/// <c>anvil-lab bmc --listen IP:PORT --user U --password P</c>: one simulated BMC with a machine
/// that only switches its power, for trying consoles against it.
/// <c>anvil-lab up|status|down</c>: the VM lab (see <see cref="LabCli"/>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            switch (args.FirstOrDefault())
            {
                case "fleet":
                    return await FleetCommand.RunAsync(FleetOptions.Parse(args[1..]), Console.Out, cancel.Token);
                case "bmc":
                    return await RunBmcAsync(CommandLine.Parse(args[1..]), cancel.Token);
                case { } command when LabCli.Commands.Contains(command):
                    return await LabCli.RunAsync(args, Console.Out, cancel.Token);
                default:
                    Console.Error.WriteLine(FleetOptions.Usage);
                    Console.Error.WriteLine("       anvil-lab bmc --listen IP:PORT [--user admin] [--password password]");
                    Console.Error.WriteLine(LabCli.Usage.Replace("usage: ", "       ", StringComparison.Ordinal));
                    return 2;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"anvil-lab: {e.Message}");
            return 2;
        }
    }

    private static async Task<int> RunBmcAsync(IReadOnlyDictionary<string, string> options, CancellationToken ct)
    {
        var chassis = new SwitchOnlyChassis();
        await using var bmc = new SimulatedBmc(IPEndPoint.Parse(CommandLine.Required(options, "--listen")),
            options.GetValueOrDefault("--user") ?? "admin", options.GetValueOrDefault("--password") ?? "password", chassis);
        bmc.Start();
        Console.Error.WriteLine($"bmc listening on {bmc.Endpoint}");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }

        Console.Error.WriteLine($"commands {bmc.Commands}, dropped {bmc.Dropped}, power {(chassis.IsOn ? "on" : "off")}");
        return 0;
    }

    private sealed class SwitchOnlyChassis : IChassis
    {
        public bool IsOn { get; private set; }

        public void PowerOn() => IsOn = true;

        public void PowerOff() => IsOn = false;

        public void PowerCycle() => IsOn = true;

        public void SoftOff() => IsOn = false;

        public void SetNextBootPxe()
        {
        }
    }
}
