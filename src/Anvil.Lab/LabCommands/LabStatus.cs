using System.Text;
using System.Text.Json;
using Anvil.Client;
using Anvil.Lab.Vms;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// <c>anvil-lab status</c>: the lab's API and one line per machine: name, MAC, firmware, BMC,
/// chassis power as <c>ipmitool</c> reads it from the BMC, and the machine's status and power
/// state as Anvil's API reports them.
/// </summary>
internal static class LabStatus
{
    public static async Task<int> RunAsync(string stateDirectory, TextWriter output, CancellationToken ct)
    {
        var lab = LabState.Load(stateDirectory);
        if (lab is null)
        {
            await output.WriteLineAsync($"No lab in {Path.GetFullPath(stateDirectory)}.");
            return 1;
        }

        var anvildRunning = lab.AnvildPid is { } pid && LabProcesses.IsAlive(pid);
        var report = new StringBuilder();
        report.AppendLine($"Lab {lab.NetNamespace}: bridge {lab.Bridge} {lab.Cidr}, host veth {lab.HostVeth} {lab.HostAddress}");
        report.AppendLine($"API: {lab.MaasUrl}/api/2.0/ (anvild {(anvildRunning ? $"running, pid {lab.AnvildPid}" : "NOT running")})");
        report.AppendLine($"Admin API key: {lab.AdminKey}");

        var machines = await AnvilMachinesAsync(lab, ct);
        if (machines.Error is not null)
            report.AppendLine($"API error: {machines.Error}");
        report.AppendLine($"{"MACHINE",-8} {"MAC",-17} {"FW",-4} {"BMC",-20} {"POWER",-5} {"ANVIL STATUS",-14} {"ANVIL POWER",-11} SYSTEM_ID");
        foreach (var machine in lab.Machines)
        {
            var power = await PowerAsync(lab, machine);
            machines.ByMac.TryGetValue(machine.Mac, out var anvil);
            report.AppendLine($"{machine.Name,-8} {machine.Mac,-17} {(machine.Uefi ? "uefi" : "bios"),-4} {machine.BmcAddress ?? "-",-20} {power,-5} {anvil.Status ?? "-",-14} {anvil.Power ?? "-",-11} {machine.SystemId ?? "-"}");
        }

        await output.WriteAsync(report.ToString());
        return anvildRunning && machines.Error is null ? 0 : 1;
    }

    private static async Task<string> PowerAsync(LabState lab, LabMachineState machine)
    {
        if (machine.BmcAddress is null || machine.BmcPid is not { } pid || !LabProcesses.IsAlive(pid))
            return "nobmc";
        try
        {
            var said = await IpmiVm.RunIpmitoolAsync(lab.NetNamespace, machine.BmcAddress, machine.BmcUser!, machine.BmcPassword!, "chassis", "power", "status");
            return said.Trim() switch
            {
                "Chassis Power is on" => "on",
                "Chassis Power is off" => "off",
                _ => "?",
            };
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return "error";
        }
    }

    private static async Task<(Dictionary<string, (string? Status, string? Power)> ByMac, string? Error)> AnvilMachinesAsync(LabState lab, CancellationToken ct)
    {
        var byMac = new Dictionary<string, (string? Status, string? Power)>(StringComparer.OrdinalIgnoreCase);
        if (lab.AdminKey is null)
            return (byMac, "anvild never printed its admin key");
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            using var admin = new MaasClient(http, new Uri(lab.MaasUrl), MaasApiKey.Parse(lab.AdminKey));
            using var list = (await admin.GetAsync("machines/", cancellationToken: ct)).ParseJson();
            foreach (var machine in list.RootElement.EnumerateArray())
            {
                foreach (var nic in machine.GetProperty("interface_set").EnumerateArray())
                    byMac[nic.GetProperty("mac_address").GetString()!] = (machine.GetProperty("status_name").GetString(), machine.GetProperty("power_state").GetString());
            }

            return (byMac, null);
        }
        catch (Exception e) when (e is HttpRequestException or MaasApiException or TaskCanceledException or JsonException)
        {
            return (byMac, e.Message);
        }
    }
}
