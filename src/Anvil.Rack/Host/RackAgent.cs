using System.Text.Json;
using Anvil.Domain.Boot;
using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rack.Boot;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Leases;
using Anvil.Rack.Metrics;
using Anvil.Rack.RegionLink;
using Anvil.Rack.Timeline;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Host;

/// <summary>
/// The rack's conversation with the regions: it registers (and again whenever a region no longer
/// knows it), polls its config and hands the DHCP part to <see cref="DhcpConfigChanged"/>, pings so
/// the regions know it is alive, reports its services, and carries lease events and boot questions.
/// The last config is kept on disk, so a rack restarted while every region is down serves it again.
/// </summary>
public sealed class RackAgent : IAsyncDisposable
{
    private readonly RackOptions options;
    private readonly ILogger logger;
    private readonly RackIdentity identity;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly SemaphoreSlim registerNow = new(0);
    private string? configVersion;
    private volatile string? systemId;

    public RackAgent(RackOptions options, SharedSecret secret, RackMetrics metrics, TimeProvider clock, ILogger logger, RegionLinkOptions? linkOptions = null)
    {
        this.options = options;
        this.logger = logger;
        identity = new RackIdentity(options.DataDir);
        systemId = identity.Load();
        Metrics = metrics;
        Links = new RegionLinks(options.Regions, secret, HandleRegionCallAsync, linkOptions ?? new RegionLinkOptions(), logger);
        Leases = new LeaseQueue(SendLeasesAsync, options.LeaseBatchSize, options.LeaseFlushInterval, metrics);
        // Timeline events are many and small: bigger batches, sent at the lease queue's pace.
        BootEvents = new BootEventQueue(SendBootEventsAsync, options.LeaseBatchSize * 5, options.LeaseFlushInterval, metrics);
        BootConfig = new LinkBootConfigSource((m, a, ct) => Links.CallAsync<BootConfig>(m, a, ct), () => systemId, options.BootConfigCacheTime, clock);
    }

    public RegionLinks Links { get; }

    public LeaseQueue Leases { get; }

    /// <summary>What booting machines did here (DHCP, TFTP, HTTP), on its way to the region's boot timeline.</summary>
    public BootEventQueue BootEvents { get; }

    public IBootConfigSource BootConfig { get; }

    public RackMetrics Metrics { get; }

    /// <summary>The id the region gave this rack; null until the first registration.</summary>
    public string? SystemId => systemId;

    public bool IsRegistered { get; private set; }

    /// <summary>Raised with every new DHCP config (and at start with the one kept on disk).</summary>
    public event Action<DhcpServerConfig>? DhcpConfigChanged;

    /// <summary>The rack's services as they are now, reported to the region (set by the host that runs them).</summary>
    public Func<IReadOnlyList<ServiceStatusDto>> Services { get; set; } = () => [];

    private string ConfigPath => Path.Combine(options.DataDir, "rack-config.json");

    public Task StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.DataDir);
        if (LoadSavedConfig() is { } saved)
            Publish(saved);
        Links.Connected += _ => registerNow.Release();
        Links.Start();
        Leases.Start();
        BootEvents.Start();
        loops.Add(Task.Run(RegisterLoopAsync, ct));
        loops.Add(Task.Run(() => EveryAsync(options.ConfigPollInterval, RefreshConfigAsync), ct));
        loops.Add(Task.Run(() => EveryAsync(options.PingInterval, PingAsync), ct));
        loops.Add(Task.Run(() => EveryAsync(options.ServiceReportInterval, ReportServicesAsync), ct));
        return Task.CompletedTask;
    }

    /// <summary>Asks for the config now instead of at the next poll (tests, and region pushes).</summary>
    public Task RefreshConfigNowAsync(CancellationToken ct) => RefreshConfigAsync(ct);

    public Task ReportServicesNowAsync(CancellationToken ct) => ReportServicesAsync(ct);

    private async Task RegisterLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            if (!IsRegistered)
            {
                try
                {
                    await RegisterAsync(stop.Token);
                }
                catch (Exception e) when (e is LinkException or LinkCallException)
                {
                    RackAgentLog.RegisterFailed(logger, e.Message);
                }
            }

            try
            {
                await registerNow.WaitAsync(IsRegistered ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(1), stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var hostname = options.Hostname.Length > 0 ? options.Hostname : System.Net.Dns.GetHostName().Split('.')[0].ToLowerInvariant();
        var request = new RegisterRackRequest(
            systemId, hostname, ArchitectureName(), typeof(RackAgent).Assembly.GetName().Version?.ToString() ?? "0", InterfaceDiscovery.Discover(options.Interfaces));
        var answer = await Links.CallAsync<RegisterRackResponse>(LinkMethods.RegisterRack, request, ct);
        if (answer.SystemId != systemId)
        {
            identity.Save(answer.SystemId);
            systemId = answer.SystemId;
        }

        foreach (var region in answer.Regions)
            Links.AddRegion(region);
        IsRegistered = true;
        RackAgentLog.Registered(logger, answer.SystemId, answer.Hostname, answer.Regions.Count);
        await RefreshConfigAsync(ct);
        await ReportServicesAsync(ct);
    }

    private async Task RefreshConfigAsync(CancellationToken ct)
    {
        if (!IsRegistered || systemId is null)
            return;
        var answer = await CallAsync<RackConfigResponse>(LinkMethods.GetRackConfig, new RackConfigRequest(systemId, configVersion), ct);
        if (answer.Unchanged || answer.Dhcp is null)
            return;
        configVersion = answer.Version;
        Save(answer);
        Publish(answer.Dhcp);
    }

    private Task PingAsync(CancellationToken ct) =>
        IsRegistered ? CallAsync<PingResponse>(LinkMethods.Ping, new PingRequest(systemId), ct) : Task.CompletedTask;

    private Task ReportServicesAsync(CancellationToken ct)
    {
        if (!IsRegistered || systemId is null)
            return Task.CompletedTask;
        var services = Services().Append(new ServiceStatusDto("rackd", Links.IsConnected ? "running" : "degraded", Links.IsConnected ? "" : Links.Problems)).ToList();
        return CallAsync<JsonElement?>(LinkMethods.UpdateServices, new UpdateServicesRequest(systemId, services), ct);
    }

    private async Task SendBootEventsAsync(IReadOnlyList<BootEventDto> events, CancellationToken ct)
    {
        if (systemId is null)
            throw new LinkException("The rack has not registered with a region yet.");
        await CallAsync<RecordBootEventsResponse>(LinkMethods.RecordBootEvents, new RecordBootEventsRequest(systemId, events), ct);
    }

    private async Task SendLeasesAsync(IReadOnlyList<LeaseEvent> leases, CancellationToken ct)
    {
        if (systemId is null)
            throw new LinkException("The rack has not registered with a region yet.");
        var batch = new UpdateLeasesRequest(systemId, [.. leases.Select(ToDto)]);
        var result = await CallAsync<UpdateLeasesResponse>(LinkMethods.UpdateLeases, batch, ct);
        foreach (var error in result.Errors)
            RackAgentLog.LeaseRefused(logger, error);
    }

    /// <summary>A call that re-registers first when the region answers that it does not know this rack.</summary>
    private async Task<T> CallAsync<T>(string method, object args, CancellationToken ct)
    {
        try
        {
            return await Links.CallAsync<T>(method, args, ct);
        }
        catch (LinkCallException e) when (e.Error.Kind == "not_found")
        {
            IsRegistered = false;
            registerNow.Release();
            throw;
        }
    }

    /// <summary>Runs the region's power requests; null until the host that owns the drivers sets it.</summary>
    public Power.PowerActions? Power { get; set; }

    private async Task<object?> HandleRegionCallAsync(string method, JsonElement args, CancellationToken ct)
    {
        switch (method)
        {
            case LinkMethods.Ping:
                return new PingResponse(DateTimeOffset.UtcNow);
            case LinkMethods.Power:
                var request = LinkJson.FromElement<PowerRequest>(args);
                var actions = Power ?? throw new LinkReportableException("power_not_supported", "This rack runs no power drivers.");
                try
                {
                    var state = await actions.RunAsync(request.Action, request.PowerType, request.Parameters, ct);
                    return new PowerResponse(state.ToString().ToLowerInvariant());
                }
                catch (Power.PowerException e)
                {
                    throw new LinkReportableException("power_" + System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString()), e.Message, e);
                }

            default:
                throw new LinkUnknownMethodException(method);
        }
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> work)
    {
        using var timer = new PeriodicTimer(interval);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stop.Token))
                    return;
                await work(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LinkException or LinkCallException)
            {
                // No region right now; the rack carries on with what it has and tries at the next tick.
                RackAgentLog.CallFailed(logger, e.Message);
            }
        }
    }

    private void Publish(DhcpConfigDto dto)
    {
        try
        {
            DhcpConfigChanged?.Invoke(DhcpConfigMapper.Map(dto));
        }
        catch (FormatException e)
        {
            RackAgentLog.BadConfig(logger, e.Message);
        }
    }

    private void Save(RackConfigResponse config)
    {
        var temp = ConfigPath + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(config, LinkJson.Options));
        File.Move(temp, ConfigPath, overwrite: true);
    }

    private DhcpConfigDto? LoadSavedConfig()
    {
        try
        {
            if (!File.Exists(ConfigPath))
                return null;
            var saved = JsonSerializer.Deserialize<RackConfigResponse>(File.ReadAllBytes(ConfigPath), LinkJson.Options);
            configVersion = saved?.Version;
            return saved?.Dhcp;
        }
        catch (JsonException e)
        {
            RackAgentLog.BadConfig(logger, e.Message);
            return null;
        }
    }

    private static LeaseEventDto ToDto(LeaseEvent e) => new(
        e.Action switch { LeaseAction.Commit => "commit", LeaseAction.Release => "release", _ => "expiry" },
        e.Family == IpFamily.V6 ? "ipv6" : "ipv4",
        e.Mac,
        e.Ip,
        e.Hostname,
        e.Timestamp.ToUnixTimeSeconds(),
        e.LeaseTime);

    private static string ArchitectureName() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64/generic",
        _ => "amd64/generic",
    };

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Leases.DisposeAsync();
        await Links.DisposeAsync();
        stop.Dispose();
        registerNow.Dispose();
    }
}

internal static partial class RackAgentLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered as rack {SystemId} ({Hostname}); {Regions} region(s) known")]
    public static partial void Registered(ILogger logger, string systemId, string hostname, int regions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registration failed, retrying: {Reason}")]
    public static partial void RegisterFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Region call failed: {Reason}")]
    public static partial void CallFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The region refused a lease event: {Reason}")]
    public static partial void LeaseRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unusable rack config: {Reason}")]
    public static partial void BadConfig(ILogger logger, string reason);
}
