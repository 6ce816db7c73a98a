using System.Globalization;
using Anvil.Client;
using Anvil.Lab.Vms;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// <c>anvil-lab up|status|down</c> for real: a namespace, anvild with DHCP, one IPMI-powered VM
/// registered through the API; <c>down</c> leaves no namespace, interface, process or file behind,
/// also after the lab's processes were killed.
/// </summary>
public sealed class LabCommandsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string stateDirectory = Path.Combine(Path.GetTempPath(), $"anvil-labcli-{TestNames.Suffix()}");

    [Fact]
    public async Task Up_registers_the_machine_with_its_bmc_status_shows_it_and_down_removes_everything()
    {
        (await RunAsync("up", "--machines", "1")).ShouldBe(0);
        var lab = LabState.Load(stateDirectory).ShouldNotBeNull();
        var machine = lab.Machines.ShouldHaveSingleItem();

        var status = new StringWriter();
        (await LabCli.RunAsync(["status", "--state-dir", stateDirectory], status, CancellationToken.None)).ShouldBe(0, status.ToString());
        output.WriteLine(status.ToString());
        var line = status.ToString().Split('\n').Single(l => l.StartsWith("lab-1 ", StringComparison.Ordinal));
        line.ShouldContain(machine.Mac);
        line.ShouldContain(machine.BmcAddress!);
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldContain("off");
        line.ShouldContain("New");
        using var admin = new MaasClient(new Uri(lab.MaasUrl), MaasApiKey.Parse(lab.AdminKey!));
        var registered = (await admin.GetAsync($"machines/{machine.SystemId}/")).ParseJson().RootElement;
        registered.GetProperty("power_type").GetString().ShouldBe("ipmi");
        var parameters = (await admin.GetAsync($"machines/{machine.SystemId}/", "power_parameters")).ParseJson().RootElement;
        parameters.GetProperty("power_address").GetString().ShouldBe(machine.BmcIp);

        (await RunAsync("down")).ShouldBe(0);

        await ShouldBeGoneAsync(lab);
    }

    [Fact]
    public async Task Down_cleans_up_after_the_labs_processes_were_killed_and_left_a_vm_running()
    {
        (await RunAsync("up", "--machines", "1")).ShouldBe(0);
        var lab = LabState.Load(stateDirectory).ShouldNotBeNull();
        var machine = lab.Machines.ShouldHaveSingleItem();
        await IpmiVm.RunIpmitoolAsync(lab.NetNamespace, machine.BmcAddress!, machine.BmcUser!, machine.BmcPassword!, "chassis", "power", "on");
        var qemu = await WaitForQemuAsync(machine.VmName!);

        // As if up (or the host) had crashed: anvild and the BMC die, qemu, PostgreSQL and named stay behind.
        await LabCommand.RunAsync("kill", "-KILL", lab.AnvildPid!.Value.ToString(CultureInfo.InvariantCulture), machine.BmcPid!.Value.ToString(CultureInfo.InvariantCulture));
        LabProcesses.IsAlive(qemu).ShouldBeTrue();

        (await RunAsync("down")).ShouldBe(0);

        await ShouldBeGoneAsync(lab);
        LabProcesses.IsAlive(qemu).ShouldBeFalse();
    }

    [Fact]
    public async Task Up_refuses_a_state_directory_that_already_holds_a_lab()
    {
        LabState.ForDirectory(stateDirectory, "10.250.250").Save();

        var said = new StringWriter();
        (await LabCli.RunAsync(["up", "--state-dir", stateDirectory, "--machines", "1"], said, CancellationToken.None)).ShouldBe(1);

        said.ToString().ShouldContain("already up");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever a failed assertion left running is removed all the same.</summary>
    public async Task DisposeAsync() => await LabCli.RunAsync(["down", "--state-dir", stateDirectory], TextWriter.Null, CancellationToken.None);

    private async Task<int> RunAsync(params string[] args)
    {
        var said = new StringWriter();
        var anvild = Path.Combine(AppContext.BaseDirectory, "anvild.dll");
        string[] options = args[0] == "up" ? ["--state-dir", stateDirectory, "--anvild", anvild, "--disk-gib", "1", "--memory-mib", "256"] : ["--state-dir", stateDirectory];
        var code = await LabCli.RunAsync([.. args, .. options], said, CancellationToken.None);
        output.WriteLine($"anvil-lab {string.Join(' ', args)} -> {code}\n{said}");
        return code;
    }

    private static async Task ShouldBeGoneAsync(LabState lab)
    {
        (await LabCommand.RunAsync("ip", "netns", "list")).Output.ShouldNotContain(lab.NetNamespace);
        (await LabCommand.TryRunAsync(LabCommand.DefaultTimeout, "ip", "link", "show", lab.HostVeth)).ExitCode.ShouldNotBe(0);
        LabProcesses.Matching(argv => argv.Any(a => a.Contains(lab.StateDirectory, StringComparison.Ordinal))).ShouldBeEmpty();
        foreach (var machine in lab.Machines)
            IpmiVm.QemuPids(machine.VmName!).ShouldBeEmpty();
        Directory.Exists(lab.StateDirectory).ShouldBeFalse();
    }

    private static async Task<int> WaitForQemuAsync(string vmName)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            if (IpmiVm.QemuPids(vmName) is [var pid, ..])
                return pid;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"ipmi_sim did not start {vmName}.");
            await Task.Delay(100);
        }
    }
}
