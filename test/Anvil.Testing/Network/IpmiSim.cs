using System.Globalization;
using Anvil.Lab.Vms;

namespace Anvil.Testing.Network;

/// <summary>
/// OpenIPMI's <c>ipmi_sim</c> as a real BMC on a loopback UDP port, driving a real qemu VM (the
/// lab.md recipe): chassis power on runs the VM script (its <c>startcmd</c>), power off is sent to
/// the VM over the <c>ipmi-bmc-extern</c> channel and qemu exits, and the chassis counts as on while
/// the VM process lives. The VM is diskless TCG with no NIC (<c>-nic none</c>): it sits in its
/// firmware, which is all a power test needs. Its QMP socket shows what the VM was asked to do
/// (e.g. the ACPI power button of a soft off). Disposing stops ipmi_sim and any VM it left running.
/// </summary>
public sealed class IpmiSim : IAsyncDisposable
{
    public const string User = "admin";

    public const string Password = "ipmi-sim-Pw-5";

    private readonly BackgroundProcess process;
    private readonly string directory;

    private IpmiSim(BackgroundProcess process, string directory, int port, string vmName)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        VmName = vmName;
    }

    public int Port { get; }

    /// <summary><c>power_address</c> for Anvil's IPMI driver.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The VM's qemu <c>-name</c>, unique to this BMC.</summary>
    public string VmName { get; }

    /// <summary>The VM's QMP socket (exists while the VM runs).</summary>
    public string QmpSocket => Path.Combine(directory, "qmp.sock");

    /// <summary>How many times ipmi_sim has started the VM (its startcmd ran).</summary>
    public int VmStarts => File.Exists(StartsFile) ? File.ReadAllLines(StartsFile).Length : 0;

    private string StartsFile => Path.Combine(directory, "starts");

    /// <summary>Starts the BMC with the chassis off; the VM starts on the first power on.</summary>
    public static async Task<IpmiSim> StartWithVmAsync()
    {
        var directory = Directory.CreateTempSubdirectory("anvil-ipmisim-vm-").FullName;
        var port = LocalPorts.FreeUdp();
        var vmChannelPort = LocalPorts.FreeTcp();
        var vmName = $"anvil-ipmivm-{TestNames.Suffix()}";
        var config = new IpmiSimConfig(vmName, "127.0.0.1", port, "127.0.0.1", vmChannelPort, Path.Combine(directory, "vm.sh"), User, Password);
        await config.WriteAsync(directory);
        await IpmiSimConfig.WriteStartScriptAsync(config.StartCommand, Path.Combine(directory, "starts"),
        [
            "-name", vmName, "-accel", "tcg", "-m", "64", "-display", "none", "-monitor", "none", "-serial", "none", "-nic", "none",
            "-qmp", $"unix:{Path.Combine(directory, "qmp.sock")},server=on,wait=off",
            .. config.QemuArguments(),
        ]);
        var process = BackgroundProcess.Start("ipmi_sim", IpmiSimConfig.Arguments(directory));
        var sim = new IpmiSim(process, directory, port, vmName);
        try
        {
            await sim.WaitListeningAsync();
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }

        return sim;
    }

    /// <summary>The qemu process of this BMC's VM, if it is running.</summary>
    public int? VmProcess() => ProcessesNamed(VmName).Cast<int?>().FirstOrDefault();

    /// <summary>Runs <c>ipmitool -I lanplus -C 3</c> against this BMC (the cross-check; Anvil never uses it).</summary>
    public Task<CommandResult> IpmitoolAsync(params string[] command) =>
        HostCommand.TryRunAsync(TimeSpan.FromSeconds(30), "ipmitool",
            ["-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-P", Password, .. command]);

    /// <summary>What ipmitool reads as the chassis power: <c>on</c> or <c>off</c>.</summary>
    public async Task<string> IpmitoolPowerStatusAsync()
    {
        var result = await IpmitoolAsync("chassis", "power", "status");
        return result.Output.Trim() switch
        {
            "Chassis Power is on" => "on",
            "Chassis Power is off" => "off",
            _ => throw new InvalidOperationException($"ipmitool said: {result.Output} {result.Error}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        // ipmi_sim does not stop its startcmd when it exits: end this BMC's own VM by its unique name.
        foreach (var pid in ProcessesNamed(VmName))
        {
            try
            {
                using var vm = System.Diagnostics.Process.GetProcessById(pid);
                vm.Kill();
                await vm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException)
            {
            }
        }

        Directory.Delete(directory, recursive: true);
    }

    private static IReadOnlyList<int> ProcessesNamed(string name) =>
        ProcessTable.Matching(a => a.Length > 2 && a[0].EndsWith("qemu-system-x86_64", StringComparison.Ordinal) && a[1] == "-name" && a[2] == name);

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var listening = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(10), "ss", "-lnuH", $"sport = :{Port}");
            if (listening.Output.Contains($":{Port}", StringComparison.Ordinal))
                return;
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"ipmi_sim did not listen on UDP {Port}: {process.Output}");
            await Task.Delay(50);
        }
    }
}
