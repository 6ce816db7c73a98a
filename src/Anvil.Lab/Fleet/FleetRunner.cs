using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Anvil.Client;
using Anvil.Lab.Fleet.Dhcp;
using Anvil.Lab.Fleet.Net;

namespace Anvil.Lab.Fleet;

/// <summary>
/// Plays N machines against a real Anvil: each gets a BMC on its own port; all are switched on to
/// PXE-enlist (with power_type ipmi naming their BMC); then the API commissions every machine (the
/// region powers them on over IPMI) and, when asked, allocates and deploys them. The API is polled
/// until every machine reached the phase's status or the phase timed out.
/// </summary>
internal sealed class FleetRunner(FleetOptions options, TextWriter log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly string[] Markers = ["power-on", "power-off", "self-off", "reboot"];
    private readonly Stopwatch clock = new();
    private readonly Dictionary<string, Distribution> extraSteps = new(StringComparer.Ordinal);
    private readonly List<PhaseReport> phases = [];
    private readonly List<MachineFailure> failures = [];
    private readonly List<(string Name, double Start)> phaseStarts = [];

    public async Task<FleetReport> RunAsync(CancellationToken ct)
    {
        clock.Start();
        var prefix = RandomNumberGenerator.GetBytes(2);
        var bmcAddress = options.BmcAddress ?? InterfaceAddress(options.Interface);
        var cpuBefore = options.RegionPid is { } pid ? RegionProcess.CpuSeconds(pid) : 0;
        await using var dhcp = new DhcpClientSocket(options.Interface);
        await using var leases = options.Machine.BindLeases ? new LeaseAddresses(options.Interface) : null;
        var machines = new List<SimulatedMachine>();
        var bmcs = new List<SimulatedBmc>();
        using var admin = new MaasClient(options.Region, MaasApiKey.Parse(options.ApiKey));
        try
        {
            for (var i = 0; i < options.Machines; i++)
            {
                var identity = MachineIdentity.Create(i, prefix);
                var endpoint = new IPEndPoint(bmcAddress, options.BmcPortBase + i);
                var machine = new SimulatedMachine(identity, $"{bmcAddress}:{endpoint.Port}", dhcp, leases, options.Machine, new MachineTimeline(clock));
                var bmc = new SimulatedBmc(endpoint, identity.BmcUser, identity.BmcPassword, machine);
                bmc.Start();
                machines.Add(machine);
                bmcs.Add(bmc);
            }

            log.WriteLine($"fleet: {machines.Count} machines, BMCs on {bmcAddress}:{options.BmcPortBase}-{options.BmcPortBase + machines.Count - 1}, DHCP on {options.Interface}");
            // The image goes up first so the rack syncs it while the fleet enlists and commissions.
            var ownImage = options.Goal >= FleetGoal.Deploy && options.DistroSeries is null;
            if (ownImage && await FleetImage.EnsureUploadedAsync(admin, ct))
                log.WriteLine($"fleet: uploaded the boot resource {FleetImage.Name}");
            var enrolled = await EnlistAsync(machines, admin, ct);
            if (options.Goal >= FleetGoal.Commission)
                enrolled = await ApiPhaseAsync("commission", enrolled, admin, "Ready", ["Failed commissioning", "Failed testing"], CommissionAsync, ct);
            if (options.Goal >= FleetGoal.Deploy)
            {
                if (ownImage)
                    await FleetImage.WaitForRacksAsync(admin, options.PhaseTimeout, ct);
                await ApiPhaseAsync("deploy", enrolled, admin, "Deployed", ["Failed deployment"], DeployAsync, ct);
            }
        }
        finally
        {
            foreach (var machine in machines)
                await machine.DisposeAsync();
            foreach (var bmc in bmcs)
                await bmc.DisposeAsync();
        }

        RegionUsage? region = options.RegionPid is { } p ? new RegionUsage(RegionProcess.CpuSeconds(p) - cpuBefore, RegionProcess.PeakRssBytes(p)) : null;
        var steps = machines.SelectMany(m => m.Timeline.Steps).Where(s => s.Error is null && !Markers.Contains(s.Name))
            .GroupBy(s => $"{PhaseAt(s.StartSeconds)}/{s.Name}").ToDictionary(g => g.Key, g => Distribution.Of(g.Select(s => s.Seconds)), StringComparer.Ordinal);
        foreach (var (name, distribution) in extraSteps)
            steps[name] = distribution;
        return new FleetReport(machines.Count, options.Goal.ToString().ToLowerInvariant(), clock.Elapsed.TotalSeconds, phases, steps, failures, region,
            machines.Sum(m => m.BootBytes), machines.Sum(m => m.ImageBytes), bmcs.Sum(b => b.Commands), dhcp.Dropped,
            [.. machines.Select(m => new MachineRecord(m.Identity.Index, m.Identity.BootMacText, m.SystemId, m.Timeline.Steps))]);
    }

    /// <summary>Every machine is switched on (as at its power button); each enlists itself and powers off. Returns system_id → machine.</summary>
    private async Task<Dictionary<string, SimulatedMachine>> EnlistAsync(List<SimulatedMachine> machines, MaasClient admin, CancellationToken ct)
    {
        var start = clock.Elapsed.TotalSeconds;
        phaseStarts.Add(("enlist", 0));
        var finished = new Dictionary<SimulatedMachine, double>();
        foreach (var machine in machines)
        {
            machine.PowerOn();
            _ = machine.EnlistmentDone.ContinueWith(_ =>
            {
                lock (finished)
                    finished[machine] = clock.Elapsed.TotalSeconds;
            }, ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        var all = Task.WhenAll(machines.Select(m => m.EnlistmentDone));
        await Task.WhenAny(all, Task.Delay(options.PhaseTimeout, ct));
        ct.ThrowIfCancellationRequested();
        var enrolled = machines.Where(m => m.EnlistmentDone.IsCompletedSuccessfully && m.EnlistmentDone.Result is not null)
            .ToDictionary(m => m.EnlistmentDone.Result!, StringComparer.Ordinal);
        // The machine has signalled OK; the region's answer to it already moved it to New.
        var reached = await WaitForStatusAsync(admin, enrolled, "New", [], start, ct);
        Record("enlist", machines, reached, enrolled, m =>
        {
            lock (finished)
                return finished.TryGetValue(m, out var at) ? at - m.Timeline.Steps.First(s => s.Name == "power-on").StartSeconds : null;
        });
        return reached.Keys.ToDictionary(id => id, id => enrolled[id], StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, SimulatedMachine>> ApiPhaseAsync(
        string name, Dictionary<string, SimulatedMachine> machines, MaasClient admin, string target, string[] failed,
        Func<MaasClient, string, CancellationToken, Task> call, CancellationToken ct)
    {
        var start = clock.Elapsed.TotalSeconds;
        phaseStarts.Add((name, start));
        var called = new Dictionary<string, double>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        using var calls = new SemaphoreSlim(8);
        await Task.WhenAll(machines.Keys.Select(async id =>
        {
            await calls.WaitAsync(ct);
            try
            {
                var at = clock.Elapsed.TotalSeconds;
                await call(admin, id, ct);
                lock (called)
                    called[id] = at;
            }
            catch (MaasApiException e)
            {
                lock (refused)
                    refused[id] = $"HTTP {(int)e.StatusCode}: {e.Message}";
            }
            finally
            {
                calls.Release();
            }
        }));

        var reached = await WaitForStatusAsync(admin, machines.Where(m => called.ContainsKey(m.Key)).ToDictionary(), target, failed, start, ct);
        Record(name, [.. machines.Values], reached, machines,
            m => reached.TryGetValue(m.SystemId!, out var r) ? start + r.Seconds - called[m.SystemId!] : null, refused);
        // How long the region took from the API call to the BMC switching the machine on.
        var latencies = called.Select(c => machines[c.Key].Timeline.Steps.FirstOrDefault(s => s.Name == "power-on" && s.StartSeconds >= c.Value) is { } on ? on.StartSeconds - c.Value : (double?)null)
            .OfType<double>().ToList();
        extraSteps[$"{name}/api-to-power-on"] = Distribution.Of(latencies);
        return reached.Where(r => r.Value.Status == target).ToDictionary(r => r.Key, r => machines[r.Key], StringComparer.Ordinal);
    }

    private static async Task CommissionAsync(MaasClient admin, string systemId, CancellationToken ct) =>
        await admin.PostAsync($"machines/{systemId}/", "commission", cancellationToken: ct);

    private async Task DeployAsync(MaasClient admin, string systemId, CancellationToken ct)
    {
        await admin.PostAsync("machines/", "allocate", [new("system_id", systemId)], cancellationToken: ct);
        List<KeyValuePair<string, string>> parameters = [new("distro_series", options.DistroSeries ?? FleetImage.DistroSeries)];
        await admin.PostAsync($"machines/{systemId}/", "deploy", parameters, cancellationToken: ct);
    }

    /// <summary>Polls the machine list until each machine is in <paramref name="target"/> or a failed status, or the phase times out.</summary>
    private async Task<Dictionary<string, (string Status, double Seconds)>> WaitForStatusAsync(
        MaasClient admin, Dictionary<string, SimulatedMachine> machines, string target, string[] failed, double start, CancellationToken ct)
    {
        var reached = new Dictionary<string, (string Status, double Seconds)>(StringComparer.Ordinal);
        var deadline = start + options.PhaseTimeout.TotalSeconds;
        while (reached.Count < machines.Count && clock.Elapsed.TotalSeconds < deadline)
        {
            var listing = await admin.GetAsync("machines/", cancellationToken: ct);
            using var json = listing.ParseJson();
            foreach (var machine in json.RootElement.EnumerateArray())
            {
                var id = machine.GetProperty("system_id").GetString()!;
                var status = machine.GetProperty("status_name").GetString() ?? "";
                if (!machines.ContainsKey(id) || reached.ContainsKey(id))
                    continue;
                lastStatus[id] = status;
                if (status == target || failed.Contains(status))
                    reached[id] = (status, clock.Elapsed.TotalSeconds - start);
            }

            if (reached.Count < machines.Count)
                await Task.Delay(PollInterval, ct);
        }

        return reached;
    }

    private readonly Dictionary<string, string> lastStatus = new(StringComparer.Ordinal);

    /// <summary>Adds the phase's report and a failure for every machine of it that did not reach the target.</summary>
    private void Record(string phase, List<SimulatedMachine> all, Dictionary<string, (string Status, double Seconds)> reached,
        Dictionary<string, SimulatedMachine> bySystemId, Func<SimulatedMachine, double?> perMachineSeconds, Dictionary<string, string>? refused = null)
    {
        var target = reached.Where(r => !r.Value.Status.StartsWith("Failed", StringComparison.Ordinal)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var perMachine = new List<double>();
        foreach (var machine in all)
        {
            var id = machine.SystemId;
            if (id is not null && target.Contains(id) && bySystemId.ContainsKey(id))
            {
                if (perMachineSeconds(machine) is { } seconds)
                    perMachine.Add(seconds);
                continue;
            }

            if (phase != "enlist" && (id is null || !bySystemId.ContainsKey(id)))
                continue; // failed in an earlier phase
            var status = id is null ? null : reached.TryGetValue(id, out var r) ? r.Status : lastStatus.GetValueOrDefault(id);
            var refusal = id is null ? null : refused?.GetValueOrDefault(id);
            failures.Add(new MachineFailure(machine.Identity.Index, machine.Identity.BootMacText, id, phase, status,
                refusal is null ? machine.Timeline.Current : "api", refusal ?? machine.LastError));
        }

        var secondsUntilAll = target.Count == 0 ? 0 : reached.Where(r => target.Contains(r.Key)).Max(r => r.Value.Seconds);
        var phaseReport = new PhaseReport(phase, secondsUntilAll, target.Count, failures.Count(f => f.Phase == phase), Distribution.Of(perMachine));
        phases.Add(phaseReport);
        log.WriteLine($"fleet: {phase} done: {phaseReport.Succeeded} ok, {phaseReport.Failed} failed, all after {secondsUntilAll:F1} s");
    }

    /// <summary>The phase the fleet was in at that time: phases run one after the other, so a step belongs to the last one started before it.</summary>
    private string PhaseAt(double seconds) => phaseStarts.LastOrDefault(p => p.Start <= seconds).Name ?? "enlist";

    private static IPAddress InterfaceAddress(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
            ?? throw new ArgumentException($"There is no interface {name} here.");
        return nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new ArgumentException($"{name} has no IPv4 address for the BMCs; give --bmc-address.");
    }
}
