using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Anvil.Lab.Vms;

/// <summary>
/// One lab machine: an OpenIPMI <c>ipmi_sim</c> BMC whose chassis power runs a qemu VM (TCG) wired
/// back to it over <c>ipmi-bmc-extern</c>. Chassis on starts qemu, chassis off ends it, and the
/// chassis is on while qemu lives, so a guest poweroff reads as off; a guest reboot resets inside
/// the same qemu. The boot NIC (virtio, its iPXE ROM) is first in the boot order, then the disks.
/// The serial console is appended to <see cref="ConsolePath"/>, so it survives power cycles.
/// ipmi_sim runs detached (its own session) so a lab outlives the command that started it;
/// disposing stops ipmi_sim and its qemu (ipmi_sim leaves its start command running) and deletes
/// what this created.
/// </summary>
public sealed class IpmiVm : IAsyncDisposable
{
    private const string StartScript = "vm.sh";
    private const string StartsFile = "starts";
    private const string ConsoleFile = "console.log";
    private const string BmcLog = "ipmi_sim.log";
    private const string QmpSocket = "qmp.sock";

    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(15);

    private readonly IpmiVmSpec spec;
    private readonly bool createdDirectory;

    private IpmiVm(IpmiVmSpec spec, bool createdDirectory, string vmName, string bmcAddress, string password)
    {
        this.spec = spec;
        this.createdDirectory = createdDirectory;
        VmName = vmName;
        BmcAddress = bmcAddress;
        BmcPassword = password;
    }

    public string Name => spec.Name;

    /// <summary><c>ip:port</c> of the BMC's LAN listener: Anvil's <c>power_address</c>.</summary>
    public string BmcAddress { get; }

    public string BmcUser => spec.BmcUser;

    public string BmcPassword { get; }

    public string Mac => spec.Mac;

    public string? NetNamespace => spec.NetNamespace;

    /// <summary>qemu's <c>-name</c>, unique to this machine: how its qemu is found.</summary>
    public string VmName { get; }

    /// <summary>The ipmi_sim process.</summary>
    public int BmcPid { get; private set; }

    public string WorkDirectory => spec.WorkDirectory;

    /// <summary>The serial console, appended across every start of the VM.</summary>
    public string ConsolePath => Path.Combine(spec.WorkDirectory, ConsoleFile);

    /// <summary>True while the VM's qemu runs (what the BMC reports as chassis power).</summary>
    public bool IsOn => QemuPid is not null;

    /// <summary>The running qemu's pid, if it runs.</summary>
    public int? QemuPid => QemuPids(VmName).Cast<int?>().FirstOrDefault();

    /// <summary>How many times the BMC has started the VM (its start command ran).</summary>
    public int VmStarts => File.Exists(StartsPath) ? File.ReadAllLines(StartsPath).Length : 0;

    private string StartsPath => Path.Combine(spec.WorkDirectory, StartsFile);

    /// <summary>Writes the BMC's configuration and the VM's start script and starts the BMC, chassis off.</summary>
    public static async Task<IpmiVm> StartAsync(IpmiVmSpec spec)
    {
        if (spec.SecondTap is not null && spec.SecondMac is null)
            throw new ArgumentException("A second NIC needs SecondMac.", nameof(spec));
        var createdDirectory = !Directory.Exists(spec.WorkDirectory);
        Directory.CreateDirectory(spec.WorkDirectory);
        var port = spec.BmcPort != 0 ? spec.BmcPort : spec.NetNamespace is null ? FreeUdpPort(spec.BmcListen) : 623;
        // qemu and ipmi_sim share a namespace: in the lab's one each BMC address is its own, so a fixed port will do.
        var (channelHost, channelPort) = spec.NetNamespace is null ? ("127.0.0.1", FreeTcpPort()) : (spec.BmcListen, 9002);
        var password = spec.BmcPassword ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var vmName = $"anvil-lab-{spec.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var vm = new IpmiVm(spec, createdDirectory, vmName, $"{spec.BmcListen}:{port.ToString(CultureInfo.InvariantCulture)}", password);
        try
        {
            var config = new IpmiSimConfig(spec.Name, spec.BmcListen, port, channelHost, channelPort, Path.Combine(spec.WorkDirectory, StartScript), spec.BmcUser, password);
            await config.WriteAsync(spec.WorkDirectory);
            await IpmiSimConfig.WriteStartScriptAsync(config.StartCommand, vm.StartsPath, vm.QemuArguments(config));
            var (file, arguments) = LabCommand.InNamespace(spec.NetNamespace, "ipmi_sim", IpmiSimConfig.Arguments(spec.WorkDirectory));
            vm.BmcPid = LabCommand.StartDetached(Path.Combine(spec.WorkDirectory, BmcLog), file, arguments);
            await vm.WaitListeningAsync(port);
        }
        catch
        {
            await vm.DisposeAsync();
            throw;
        }

        return vm;
    }

    /// <summary>The whole serial console so far (empty before the first power on).</summary>
    public string Console()
    {
        if (!File.Exists(ConsolePath))
            return "";
        using var stream = new FileStream(ConsolePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Runs <c>ipmitool -I lanplus -C 3</c> against this BMC (from its namespace) and returns its output; throws when it fails.</summary>
    public Task<string> IpmitoolAsync(params string[] args) => RunIpmitoolAsync(spec.NetNamespace, BmcAddress, BmcUser, BmcPassword, args);

    /// <summary>
    /// <c>ipmitool -I lanplus -C 3</c> against the BMC at <paramref name="bmcAddress"/> (<c>ip:port</c>),
    /// run in <paramref name="netns"/> when set; returns its output, throws when it fails.
    /// (<c>-C 3</c>: without it ipmitool spends 10 s asking ipmi_sim for cipher suites it cannot list.)
    /// </summary>
    public static async Task<string> RunIpmitoolAsync(string? netns, string bmcAddress, string user, string password, params string[] args)
    {
        var at = bmcAddress.LastIndexOf(':');
        var (file, arguments) = LabCommand.InNamespace(netns, "ipmitool",
            ["-I", "lanplus", "-C", "3", "-H", bmcAddress[..at], "-p", bmcAddress[(at + 1)..], "-U", user, "-P", password, .. args]);
        var result = await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, file, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ipmitool {string.Join(' ', args)} against {bmcAddress} exited {result.ExitCode}: {result.Error.Trim()} {result.Output.Trim()}");
        return result.Output;
    }

    /// <summary>Every live qemu whose <c>-name</c> is <paramref name="vmName"/>.</summary>
    public static IReadOnlyList<int> QemuPids(string vmName) =>
        LabProcesses.Matching(a => a.Length > 2 && a[0].EndsWith("qemu-system-x86_64", StringComparison.Ordinal) && a[1] == "-name" && a[2] == vmName);

    public async ValueTask DisposeAsync()
    {
        if (BmcPid != 0)
            await LabProcesses.StopAsync([BmcPid], TimeSpan.FromSeconds(5));
        await LabProcesses.StopAsync(QemuPids(VmName), TimeSpan.FromSeconds(5));
        if (createdDirectory)
        {
            DeleteDirectory(spec.WorkDirectory);
            return;
        }

        foreach (var file in (string[])[StartScript, StartsFile, ConsoleFile, BmcLog, QmpSocket, IpmiSimConfig.LanFile, IpmiSimConfig.EmuFile])
            File.Delete(Path.Combine(spec.WorkDirectory, file));
        DeleteDirectory(Path.Combine(spec.WorkDirectory, IpmiSimConfig.StateDirectory));
    }

    private IEnumerable<string> QemuArguments(IpmiSimConfig config)
    {
        IEnumerable<string> arguments =
        [
            "-name", VmName, "-accel", "tcg", "-m", spec.MemoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", "1",
            // graphics=off: SeaBIOS (and the iPXE it runs) write to the serial port as well.
            "-display", "none", "-machine", "graphics=off", "-monitor", "none",
            "-chardev", $"file,id=console0,path={ConsolePath},append=on", "-serial", "chardev:console0",
            "-qmp", $"unix:{Path.Combine(spec.WorkDirectory, QmpSocket)},server=on,wait=off",
            .. spec.Firmware.QemuArguments(),
            "-netdev", $"tap,id=n0,ifname={spec.Tap},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=n0,mac={spec.Mac},bootindex=0",
        ];
        if (spec.SecondTap is not null)
        {
            arguments = arguments.Concat([
                "-netdev", $"tap,id=n1,ifname={spec.SecondTap},script=no,downscript=no",
                "-device", $"virtio-net-pci,netdev=n1,mac={spec.SecondMac},romfile=",
            ]);
        }

        return arguments.Concat(spec.Disks.SelectMany((disk, index) => disk.QemuArguments(index))).Concat(config.QemuArguments());
    }

    private async Task WaitListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + ListenTimeout;
        var (file, arguments) = LabCommand.InNamespace(spec.NetNamespace, "ss", "-lnuH", $"sport = :{port.ToString(CultureInfo.InvariantCulture)}");
        while (true)
        {
            var listening = await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, file, arguments);
            if (listening.Output.Contains($":{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal))
                return;
            if (!LabProcesses.IsAlive(BmcPid) || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(spec.WorkDirectory, BmcLog);
                throw new InvalidOperationException($"ipmi_sim did not listen on UDP {BmcAddress}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
            }

            await Task.Delay(50);
        }
    }

    private static int FreeUdpPort(string address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
