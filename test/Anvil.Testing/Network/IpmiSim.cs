using System.Globalization;

namespace Anvil.Testing.Network;

/// <summary>
/// OpenIPMI's <c>ipmi_sim</c> as a real BMC on a loopback UDP port, driving a real qemu VM (the
/// lab.md recipe): chassis power on runs the VM script (its <c>startcmd</c>), power off is sent to
/// the VM over the <c>ipmi-bmc-extern</c> channel and qemu exits, and the chassis counts as on while
/// the VM process lives. The VM is either diskless TCG with no NIC (<c>-nic none</c>), sitting in
/// its firmware, which is all a power test needs (its QMP socket shows what the VM was asked to
/// do, e.g. the ACPI power button of a soft off), or a lab machine that network-boots and has
/// disks (<see cref="StartWithMachineAsync"/>). Disposing stops ipmi_sim and any VM it left running.
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

    /// <summary>The VM's serial console, appended across power cycles and reboots (machines started by <see cref="StartWithMachineAsync"/>).</summary>
    public string ConsolePath => Path.Combine(directory, "console.log");

    /// <summary>Whether the chassis is on: the VM's qemu process lives.</summary>
    public bool IsOn => VmProcess() is not null;

    /// <summary>Starts the BMC of a diskless VM with no NIC, chassis off; the VM starts on the first power on.</summary>
    public static Task<IpmiSim> StartWithVmAsync() =>
        StartAsync(dir => ["-m", "64", "-display", "none", "-monitor", "none", "-serial", "none", "-nic", "none",
            "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off"]);

    /// <summary>
    /// Starts the BMC of a lab machine whose qemu arguments (NICs, disks, firmware, memory) are
    /// <paramref name="machineArguments"/>, chassis off. Its serial console goes to
    /// <see cref="ConsolePath"/>; a guest reboot resets the VM in place, a guest power-off ends it.
    /// </summary>
    public static Task<IpmiSim> StartWithMachineAsync(IReadOnlyList<string> machineArguments) =>
        StartAsync(dir => [.. machineArguments, "-display", "none", "-monitor", "none",
            "-chardev", $"file,id=console0,path={Path.Combine(dir, "console.log")},append=on", "-serial", "chardev:console0"]);

    private static async Task<IpmiSim> StartAsync(Func<string, IReadOnlyList<string>> vmArguments)
    {
        var directory = Directory.CreateTempSubdirectory("anvil-ipmisim-vm-").FullName;
        var port = LocalPorts.FreeUdp();
        var vmChannelPort = LocalPorts.FreeTcp();
        var vmName = $"anvil-ipmivm-{TestNames.Suffix()}";
        var script = Path.Combine(directory, "vm.sh");
        string[] qemu = ["-name", vmName, "-accel", "tcg", .. vmArguments(directory), .. IpmiSimConfig.QemuArguments(vmChannelPort)];
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            echo "$$" >> {Path.Combine(directory, "starts")}
            exec qemu-system-x86_64 {string.Join(' ', qemu.Select(a => $"'{a}'"))}

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await IpmiSimConfig.WriteAsync(directory, "127.0.0.1", port, vmChannelPort, vmName, script, User, Password);
        var process = IpmiSimConfig.Start(directory);
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

    /// <summary>The serial console so far (empty before the first power on).</summary>
    public string Console()
    {
        if (!File.Exists(ConsolePath))
            return "";
        using var stream = new FileStream(ConsolePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
