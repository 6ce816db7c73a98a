using System.Net;
using System.Text.Json;
using Anvil.Client;
using Anvil.Lab.Fleet.Boot;
using Anvil.Lab.Fleet.Dhcp;
using Anvil.Lab.Fleet.Metadata;
using Anvil.Lab.Fleet.Net;

namespace Anvil.Lab.Fleet;

/// <summary>
/// One machine without a VM. Power on starts a boot the way the real chain runs it: firmware time,
/// DHCP as iPXE with its own MAC, the rack's iPXE scripts over HTTP, kernel and initrd downloaded
/// (bytes counted and dropped), DHCP again as the ephemeral OS, then the runner's conversation with
/// the metadata server: enlist when the preseed has no token, else the install config (deploy:
/// webhook events, image, netboot_off, reboot → local disk → cloud-init's user-data) or the
/// scripts (commissioning, testing; captured outputs uploaded). It powers itself off where the
/// ephemeral environment does. Power off stops it wherever it is. Every step is timed.
/// </summary>
internal sealed class SimulatedMachine : IChassis, IAsyncDisposable
{
    private readonly DhcpClientSocket dhcp;
    private readonly LeaseAddresses? addresses;
    private readonly MachineSettings settings;
    private readonly string powerAddress;
    private readonly Lock gate = new();
    private CancellationTokenSource? running;
    private Task boot = Task.CompletedTask;
    private InstalledOs? installed;
    private TaskCompletionSource<string?> enlisted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedMachine(MachineIdentity identity, string powerAddress, DhcpClientSocket dhcp, LeaseAddresses? addresses, MachineSettings settings, MachineTimeline timeline)
    {
        Identity = identity;
        this.powerAddress = powerAddress;
        this.dhcp = dhcp;
        this.addresses = addresses;
        this.settings = settings;
        Timeline = timeline;
    }

    public MachineIdentity Identity { get; }

    public MachineTimeline Timeline { get; }

    public bool IsOn { get; private set; }

    public string? SystemId { get; private set; }

    /// <summary>The last failure of a boot, if its last boot failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>Set when the installed OS asked for its user data: the region has marked the machine deployed.</summary>
    public bool Deployed { get; private set; }

    public int PowerOns { get; private set; }

    /// <summary>When (fleet clock) the machine was last switched on.</summary>
    public double LastPowerOn { get; private set; }

    public long BootBytes => Interlocked.Read(ref bootBytes);

    private long bootBytes;

    /// <summary>Bytes of deploy images downloaded (and dropped) by the installer.</summary>
    public long ImageBytes => Interlocked.Read(ref imageBytes);

    private long imageBytes;

    /// <summary>Completes with the system_id when the enlistment boot has ended (null when it failed).</summary>
    public Task<string?> EnlistmentDone => enlisted.Task;

    public string PowerParametersJson => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["power_address"] = powerAddress,
        ["power_user"] = Identity.BmcUser,
        ["power_pass"] = Identity.BmcPassword,
        ["power_driver"] = "LAN_2_0",
        ["cipher_suite_id"] = "3",
        ["privilege_level"] = "ADMIN",
    });

    public void PowerOn()
    {
        lock (gate)
        {
            if (IsOn)
                return;
            IsOn = true;
            PowerOns++;
            LastPowerOn = Timeline.Now;
            Timeline.Add(new MachineStep("power-on", LastPowerOn, 0, null));
            var cts = new CancellationTokenSource();
            running = cts;
            boot = Task.Run(() => BootAsync(cts));
        }
    }

    public void PowerOff()
    {
        lock (gate)
        {
            if (!IsOn)
                return;
            IsOn = false;
            Timeline.Add(new MachineStep("power-off", Timeline.Now, 0, null));
            running?.Cancel();
            running = null;
        }
    }

    public void PowerCycle()
    {
        PowerOff();
        PowerOn();
    }

    public void SoftOff() => PowerOff();

    public void SetNextBootPxe()
    {
        // Simulated machines always try the network first, as Anvil expects of its machines.
    }

    /// <summary>The machine turning itself off at the end of the ephemeral environment (only if this boot is still the current one).</summary>
    private void OffBySelf(CancellationTokenSource cts)
    {
        lock (gate)
        {
            if (running != cts)
                return;
            IsOn = false;
            running = null;
            Timeline.Add(new MachineStep("self-off", Timeline.Now, 0, null));
        }
    }

    private async Task BootAsync(CancellationTokenSource cts)
    {
        var ct = cts.Token;
        var rebooted = false;
        try
        {
            while (true)
            {
                await Task.Delay(settings.FirmwareTime, ct);
                var lease = await Timeline.StepAsync("dhcp-pxe", () => dhcp.DoraAsync(Identity.BootMac, DhcpClientKind.Ipxe, settings.DhcpTimeout, settings.DhcpAttempts, ct));
                using var http = await HttpForAsync(lease, ct);
                var script = await Timeline.StepAsync("boot-config", () => BootScriptAsync(http, lease, ct));
                if (rebooted && script.Action != BootScriptAction.LocalDisk)
                    throw new InvalidOperationException($"after installing, the rack's boot config said {script.Action}, not the local disk");
                rebooted = false;
                switch (script.Action)
                {
                    case BootScriptAction.NetworkBoot:
                        await Timeline.StepAsync("boot-files", async () =>
                        {
                            Interlocked.Add(ref bootBytes, await Download.DiscardAsync(http, script.KernelUrl!, ct));
                            if (script.InitrdUrl is not null)
                                Interlocked.Add(ref bootBytes, await Download.DiscardAsync(http, script.InitrdUrl, ct));
                        });
                        var osLease = await Timeline.StepAsync("dhcp-ephemeral", () => dhcp.DoraAsync(Identity.BootMac, DhcpClientKind.Udhcpc, settings.DhcpTimeout, settings.DhcpAttempts, ct));
                        using (var osHttp = await HttpForAsync(osLease, ct))
                        {
                            if (await EphemeralAsync(osHttp, script, ct))
                            {
                                // installed: /init reboots (the machine stays on) and the firmware PXE-boots again
                                Timeline.Add(new MachineStep("reboot", Timeline.Now, 0, null));
                                rebooted = true;
                                continue;
                            }
                        }

                        OffBySelf(cts);
                        return;
                    case BootScriptAction.LocalDisk when installed is not null:
                        await InstalledOsAsync(installed, ct);
                        await Task.Delay(Timeout.Infinite, ct);
                        return;
                    case BootScriptAction.NoImage:
                        LastError = "the rack has no boot image for this machine";
                        await Task.Delay(settings.NoImageRetry, ct);
                        continue;
                    case BootScriptAction.LocalDisk:
                        throw new InvalidOperationException("told to boot from a disk that has no OS");
                    default:
                        OffBySelf(cts);
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // powered off
        }
        catch (Exception e)
        {
            // A real machine would hang here; it stays on until someone power-cycles it.
            LastError = $"{Timeline.Current}: {e.Message}";
            enlisted.TrySetResult(null);
        }
    }

    private async Task<HttpClient> HttpForAsync(DhcpLease lease, CancellationToken ct)
    {
        if (addresses is null || !settings.BindLeases)
            return MachineHttp.Create(null, settings.HttpTimeout);
        await addresses.EnsureAsync(lease.Address, ct);
        return MachineHttp.Create(lease.Address, settings.HttpTimeout);
    }

    /// <summary>The boot file iPXE was given, then the scripts it chains to, until one says what to boot.</summary>
    private async Task<IpxeBootScript> BootScriptAsync(HttpClient http, DhcpLease lease, CancellationToken ct)
    {
        if (!lease.BootFile.StartsWith("http", StringComparison.Ordinal))
            throw new InvalidOperationException($"DHCP offered boot file '{lease.BootFile}', not iPXE's HTTP script");
        var nextServer = lease.NextServer.Equals(IPAddress.Any) ? lease.Server.ToString() : lease.NextServer.ToString();
        var urls = new Queue<string>([lease.BootFile]);
        for (var hops = 0; hops < 8 && urls.Count > 0; hops++)
        {
            var url = urls.Dequeue();
            using var response = await http.GetAsync(url, ct);
            if (!response.IsSuccessStatusCode)
                continue;
            var script = IpxeBootScript.Parse(await response.Content.ReadAsStringAsync(ct), Identity.BootMacText, nextServer);
            if (script.Action != BootScriptAction.Chain)
                return script;
            urls.Clear();
            foreach (var next in script.ChainUrls)
                urls.Enqueue(next);
        }

        throw new InvalidOperationException($"no iPXE script from {lease.BootFile} said what to boot");
    }

    /// <summary>The ephemeral environment; true when it installed an OS and the machine reboots into it.</summary>
    private async Task<bool> EphemeralAsync(HttpClient http, IpxeBootScript script, CancellationToken ct)
    {
        var preseedUrl = script.Argument("cloud-config-url") ?? throw new InvalidOperationException("no cloud-config-url on the kernel command line");
        var preseed = Preseed.Parse(await Timeline.StepAsync("preseed", () => http.GetStringAsync(preseedUrl, ct)));
        var metadataUrl = preseed.MetadataUrl ?? MetadataBase(preseedUrl);
        var token = preseed.Token;
        var enlisting = token is null;
        if (token is null)
        {
            (SystemId, token) = await Timeline.StepAsync("enlist", () => EnlistAsync(http, metadataUrl, ct));
        }

        using var metadata = new MetadataClient(http, metadataUrl, token);
        try
        {
            if (!enlisting)
            {
                using var config = await Timeline.StepAsync("install-config", () => metadata.InstallConfigAsync(ct));
                if (config is not null)
                {
                    var installer = new Installer(http, metadata, Timeline, settings.FetchImage);
                    try
                    {
                        installed = await installer.InstallAsync(config, ct);
                    }
                    finally
                    {
                        Interlocked.Add(ref imageBytes, installer.ImageBytes);
                    }

                    return true;
                }
            }

            var ok = await new EphemeralRunner(metadata, Identity, Timeline, script.KernelCommandLine, settings.ScriptTime).RunAsync(enlisting, ct);
            if (!ok)
                LastError = "the runner signalled FAILED";
            return false;
        }
        finally
        {
            if (enlisting)
                enlisted.TrySetResult(SystemId);
        }
    }

    /// <summary>The installed OS booting: DHCP, then cloud-init asks for its user data (which deploys the machine) and reports.</summary>
    private async Task InstalledOsAsync(InstalledOs os, CancellationToken ct)
    {
        var lease = await Timeline.StepAsync("dhcp-installed", () => dhcp.DoraAsync(Identity.BootMac, DhcpClientKind.InstalledOs, settings.DhcpTimeout, settings.DhcpAttempts, ct));
        using var http = await HttpForAsync(lease, ct);
        using var metadata = new MetadataClient(http, os.MetadataUrl, os.Token);
        await Timeline.StepAsync("user-data", () => metadata.UserDataAsync(ct));
        Deployed = true;
        if (os.ReportingUrl is not null)
            await Timeline.StepAsync("cloud-init-final", () => metadata.ReportAsync(os.ReportingUrl, "cloudinit", "finish", "modules-final", "running modules for final", "SUCCESS", ct));
    }

    /// <summary>Anonymous enlistment (maas-api.md §7.7): is_registered per MAC, create the machine, then its preseed with the token.</summary>
    private async Task<(string SystemId, MaasApiKey Token)> EnlistAsync(HttpClient http, string metadataUrl, CancellationToken ct)
    {
        using var api = new MaasClient(http, new Uri(MetadataClient.Origin(metadataUrl) + "/MAAS"));
        foreach (var mac in (string[])[Identity.BootMacText, Identity.SecondMacText])
        {
            var registered = await api.GetAsync("machines/", "is_registered", [new("mac_address", mac)], ct);
            if (registered.BodyText.Trim() == "true")
                throw new InvalidOperationException($"{mac} already belongs to a machine");
        }

        var created = await api.PostAsync("machines/", null,
        [
            new("architecture", "amd64/generic"), new("mac_addresses", Identity.BootMacText), new("mac_addresses", Identity.SecondMacText),
            new("commission", "true"), new("power_type", "ipmi"), new("power_parameters", PowerParametersJson),
        ], cancellationToken: ct);
        using var json = created.ParseJson();
        var systemId = json.RootElement.GetProperty("system_id").GetString() ?? throw new InvalidOperationException("no system_id in the enlistment answer");
        var preseed = Preseed.Parse(await http.GetStringAsync($"{metadataUrl.TrimEnd('/')}/latest/by-id/{systemId}/?op=get_preseed", ct));
        return (systemId, preseed.Token ?? throw new InvalidOperationException($"the preseed of {systemId} has no token"));
    }

    private static string MetadataBase(string preseedUrl)
    {
        var at = preseedUrl.IndexOf("/MAAS/metadata/", StringComparison.Ordinal);
        return at >= 0 ? preseedUrl[..(at + "/MAAS/metadata/".Length)] : MetadataClient.Origin(preseedUrl) + "/MAAS/metadata/";
    }

    public async ValueTask DisposeAsync()
    {
        PowerOff();
        try
        {
            await boot;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
