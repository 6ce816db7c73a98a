using System.Globalization;
using Anvil.Client;
using Anvil.Lab.Vms;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// <c>anvil-lab up</c>: the lab's namespace and bridge, anvild in it with DHCP on the bridge, and
/// N machines (qemu + ipmi_sim BMC, a disk with a serial each, K of them UEFI) registered through
/// the API as an operator adds racked servers: MAC and BMC (power type ipmi). Every step is
/// recorded in the state file first; on failure what was made is removed again.
/// </summary>
internal static class LabUp
{
    private static readonly string[] Tools = ["ip", "qemu-system-x86_64", "qemu-img", "ipmi_sim", "ipmitool", "dotnet"];

    public static async Task<int> RunAsync(LabUpOptions options, TextWriter output, CancellationToken ct)
    {
        if (LabState.Load(options.StateDirectory) is not null)
        {
            await output.WriteLineAsync($"anvil-lab: a lab is already up in {Path.GetFullPath(options.StateDirectory)}; run anvil-lab down --state-dir {options.StateDirectory} first.");
            return 1;
        }

        if (Tools.FirstOrDefault(t => !OnPath(t)) is { } missing)
        {
            await output.WriteLineAsync($"anvil-lab: {missing} is not installed (scripts/lab.sh installs qemu-system-x86 qemu-utils ipxe-qemu ovmf openipmi ipmitool).");
            return 1;
        }

        if (!File.Exists(options.Anvild))
        {
            await output.WriteLineAsync($"anvil-lab: no anvild at {options.Anvild} (give --anvild PATH; scripts/lab.sh builds it).");
            return 1;
        }

        if (options.Ephemeral is { } built && !File.Exists(Path.Combine(built, "boot-kernel")))
        {
            await output.WriteLineAsync($"anvil-lab: --ephemeral {built} has no boot-kernel (scripts/ephemeral.sh prints the directory it built).");
            return 1;
        }

        var lab = LabState.ForDirectory(options.StateDirectory, await LabNetwork.FreeSubnetPrefixAsync(options.StateDirectory));
        lab.Save();
        try
        {
            await BuildAsync(lab, options, output, ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await output.WriteLineAsync($"anvil-lab up failed: {e.Message}");
            var log = LabAnvild.ReadLog(lab);
            if (log.Length > 0)
                await output.WriteLineAsync($"--- anvild log (last lines) ---\n{string.Join('\n', log.Split('\n').TakeLast(30))}");
            await output.WriteLineAsync("Removing what was created …");
            await LabDown.RunAsync(lab.StateDirectory, output);
            return 1;
        }

        await output.WriteLineAsync($"""

            Lab up: {lab.Machines.Count} machine(s) in network namespace {lab.NetNamespace}, bridge {lab.Bridge} {lab.Cidr} (host side {lab.HostVeth} {lab.HostAddress}).
              API: {lab.MaasUrl}/api/2.0/
              Admin API key: {lab.AdminKey}
              State: {LabState.PathIn(lab.StateDirectory)}
            anvil-lab status --state-dir {lab.StateDirectory}   |   anvil-lab down --state-dir {lab.StateDirectory}
            """);
        return 0;
    }

    private static async Task BuildAsync(LabState lab, LabUpOptions options, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync($"Network namespace {lab.NetNamespace}: bridge {lab.Bridge} {lab.Cidr}, host veth {lab.HostVeth}");
        await LabNetwork.CreateAsync(lab);

        await output.WriteLineAsync($"anvild (region+rack) on {lab.ServerAddress}, log {lab.AnvildLog}");
        lab.AnvildPid = LabAnvild.Start(lab, Path.GetFullPath(options.Anvild));
        lab.Save();
        lab.AdminKey = await LabAnvild.WaitForAdminKeyAsync(lab, ct);
        lab.RackSystemId = await LabAnvild.WaitForRackAsync(lab, ct);
        lab.Save();
        using var admin = new MaasClient(new Uri(lab.MaasUrl), MaasApiKey.Parse(lab.AdminKey));
        await LabAnvild.EnableDhcpAsync(lab, admin, ct);
        await output.WriteLineAsync($"DHCP on {lab.Bridge}: dynamic range {lab.SubnetPrefix}.100-199");
        if (options.Ephemeral is not null)
        {
            await InstallEphemeralAsync(lab, options.Ephemeral);
            await output.WriteLineAsync($"Ephemeral environment from {options.Ephemeral} installed for the rack");
        }

        var id = LabState.Id(lab.StateDirectory);
        for (var i = 1; i <= options.Machines; i++)
        {
            var uefi = i > options.Machines - options.Uefi;
            var machine = new LabMachineState
            {
                Name = $"lab-{i}",
                Mac = $"52:54:00:{id[..2]}:{id[2..4]}:{i.ToString("x2", CultureInfo.InvariantCulture)}",
                Tap = $"tap{i}",
                Uefi = uefi,
                WorkDirectory = Path.Combine(lab.StateDirectory, "machines", $"lab-{i}"),
                DiskPath = Path.Combine(lab.StateDirectory, "machines", $"lab-{i}", "disk0.qcow2"),
                DiskSerial = $"ANVILLAB{id.ToUpperInvariant()}{i.ToString("D2", CultureInfo.InvariantCulture)}",
                BmcIp = $"{lab.SubnetPrefix}.{(10 + i).ToString(CultureInfo.InvariantCulture)}",
            };
            lab.Machines.Add(machine);
            lab.Save();
            await StartMachineAsync(lab, machine, options);
            lab.Save();
            machine.SystemId = await RegisterAsync(admin, machine, options.Commission, ct);
            lab.Save();
            await output.WriteLineAsync($"{machine.Name}: {machine.Mac} {(uefi ? "uefi" : "bios")} disk {machine.DiskSerial}, BMC {machine.BmcAddress} ({machine.BmcUser}/{machine.BmcPassword}), system_id {machine.SystemId}");
        }
    }

    private static async Task StartMachineAsync(LabState lab, LabMachineState machine, LabUpOptions options)
    {
        Directory.CreateDirectory(machine.WorkDirectory);
        await LabNetwork.AddTapAsync(lab, machine.Tap);
        await LabNetwork.AddAddressAsync(lab, machine.BmcIp);
        var disk = await LabDisk.CreateAsync(machine.DiskPath, (long)options.DiskGiB << 30, machine.DiskSerial);
        var firmware = machine.Uefi ? LabFirmware.Uefi(Path.Combine(machine.WorkDirectory, "ovmf-vars.fd")) : LabFirmware.Bios;
        // Not disposed: the machine outlives this command; anvil-lab down stops it from the state file.
        var vm = await IpmiVm.StartAsync(new IpmiVmSpec(machine.Name, machine.Tap, machine.Mac, firmware, [disk], machine.WorkDirectory)
        {
            NetNamespace = lab.NetNamespace,
            BmcListen = machine.BmcIp,
            MemoryMiB = options.MemoryMiB,
        });
        machine.BmcAddress = vm.BmcAddress;
        machine.BmcUser = vm.BmcUser;
        machine.BmcPassword = vm.BmcPassword;
        machine.BmcPid = vm.BmcPid;
        machine.VmName = vm.VmName;
    }

    /// <summary>Adds the machine as an operator adds a racked server: its boot MAC and its BMC.</summary>
    private static async Task<string> RegisterAsync(MaasClient admin, LabMachineState machine, bool commission, CancellationToken ct)
    {
        var created = await admin.PostAsync("machines/", null, [
            new("hostname", machine.Name), new("architecture", "amd64/generic"), new("mac_addresses", machine.Mac),
            new("power_type", "ipmi"), new("power_parameters_power_driver", "LAN_2_0"),
            new("power_parameters_power_address", machine.BmcIp), new("power_parameters_power_user", machine.BmcUser!),
            new("power_parameters_power_pass", machine.BmcPassword!), new("power_parameters_cipher_suite_id", "3"),
            new("commission", commission ? "true" : "false")], cancellationToken: ct);
        return created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
    }

    /// <summary>Where the rack serves the ephemeral environment from (the path scripts/ephemeral.sh --boot-resources uses).</summary>
    private static async Task InstallEphemeralAsync(LabState lab, string built)
    {
        var destination = Path.Combine(lab.AnvildDataDirectory, "boot-resources", "anvil", "amd64", "generic", "ephemeral", "stable");
        Directory.CreateDirectory(destination);
        foreach (var file in (string[])["boot-kernel", "boot-initrd"])
        {
            var source = Path.Combine(built, file);
            if (!File.Exists(source))
                throw new ArgumentException($"--ephemeral {built} has no {file}.");
            // A hard link costs nothing when the build cache is on the same file system.
            var target = Path.Combine(destination, file);
            if ((await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, "ln", "-f", source, target)).ExitCode != 0)
                File.Copy(source, target, overwrite: true);
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, tool)));
}
