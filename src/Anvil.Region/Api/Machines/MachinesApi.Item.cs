using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Events;
using Anvil.Data.Machines;
using Anvil.Data.Metadata;
using Anvil.Data.Zones;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Anvil.Region.Deploy;
using Anvil.Region.Metadata;
using Anvil.Region.Power;
using Dapper;

namespace Anvil.Region.Api.Machines;

/// <summary>The per-machine actions of <c>machines/{system_id}/</c>.</summary>
internal static partial class MachinesApi
{
    private static async Task<ApiResult> ReadAsync(ApiRequest r) => ApiResult.JsonUtf8(MachineJson.One(await ViewAsync(r, r.Path("system_id"))));

    private static Task<ApiResult> RespondAsync(ApiRequest r, Machine machine) => RespondAsync(r, machine.SystemId);

    private static async Task<ApiResult> RespondAsync(ApiRequest r, string systemId) => ApiResult.JsonUtf8(MachineJson.One(await ViewAsync(r, systemId)));

    /// <summary>The machine as rendered; 404 for unknown ids and for nodes that are not machines.</summary>
    private static async Task<MachineView> ViewAsync(ApiRequest r, string systemId) =>
        (await r.Service<MachineStore>().ListAsync(new MachineQuery { SystemIds = [systemId] }, r.Aborted)).SingleOrDefault()
        ?? throw MachineOperations.NotFound(systemId);

    private static Task<int> NodeTimeoutAsync(ApiRequest r) => r.Service<ConfigStore>().GetIntAsync("node_timeout", r.Aborted);

    private static async Task<ApiResult> LifecycleAsync(
        ApiRequest r, Func<Machine, DateTimeOffset, int, LifecycleOutcome> operation, ScriptRequest? scripts = null)
    {
        var ops = r.Service<MachineOperations>();
        var timeout = await NodeTimeoutAsync(r);
        var now = ops.Now;
        var machine = await ops.RunAsync(r.Path("system_id"), r.Caller.ToActor(), m => operation(m, now, timeout), r.Aborted, scripts);
        return await RespondAsync(r, machine);
    }

    private static async Task<ApiResult> DeployAsync(ApiRequest r)
    {
        var config = r.Service<ConfigStore>();
        var defaultOs = (await config.GetAsync("default_osystem", r.Aborted))!.GetValue<string>();
        var defaultSeries = (await config.GetAsync("default_distro_series", r.Aborted))!.GetValue<string>();
        var requestedOs = r.String("osystem") is { Length: > 0 } os ? os : null;
        var requestedSeries = r.String("distro_series") is { Length: > 0 } series ? series : null;
        var userData = r.String("user_data");
        if (userData is { Length: > 0 } && !IsBase64(userData))
            throw new ValidationException("user_data", "User data must be base64-encoded.");
        var options = new DeployOptions
        {
            Osystem = "",
            DistroSeries = "",
            LicenseKey = r.String("license_key"),
            AgentName = r.String("agent_name"),
            Comment = r.String("comment"),
            EphemeralDeploy = r.Bool("ephemeral_deploy", false),
            EnableHwSync = r.Bool("enable_hw_sync", false),
            EnableKernelCrashDump = r.Bool("enable_kernel_crash_dump", false),
        };
        var images = r.Service<IDeployImages>();
        var actor = r.Caller.ToActor();
        var ops = r.Service<MachineOperations>();
        var timeout = await NodeTimeoutAsync(r);
        var now = ops.Now;
        var machine = await ops.RunAsync(
            r.Path("system_id"),
            actor,
            async (m, c, tx) =>
            {
                // Permission and state come first (403, 409), as in MAAS; then the choice is checked
                // against the images for this machine's architecture, and a refusal rolls it all back.
                var outcome = MachineLifecycle.Deploy(m, actor, options, now, timeout);
                var (architecture, minHweKernel) = await c.QuerySingleAsync<(string, string)>(new CommandDefinition(
                    "SELECT architecture, min_hwe_kernel FROM node WHERE id = @id", new { id = m.Id }, tx, cancellationToken: r.Aborted));
                var usable = await images.ListAsync(architecture, r.Aborted);
                if (requestedOs is not null)
                    DistroSeries.Osystem(requestedOs, usable);
                var release = requestedSeries is not null ? DistroSeries.Resolve(requestedSeries, requestedOs, usable)
                    : requestedOs is null || requestedOs == defaultOs ? DistroSeries.Resolve(defaultSeries, defaultOs, usable)
                    : DistroSeries.Resolve(requestedOs, requestedOs, usable);
                m.Osystem = release.Osystem;
                m.DistroSeries = release.Series;
                m.HweKernel = HweKernel.Check(r.String("hwe_kernel"), minHweKernel, release, architecture) ?? m.HweKernel;
                return outcome;
            },
            r.Aborted);
        if (userData is not null)
        {
            await r.Service<Database>().InTransactionAsync(
                (c, tx) => c.ExecuteAsync(new CommandDefinition(
                    "UPDATE node SET deploy_user_data = @userData WHERE system_id = @systemId",
                    new { userData, systemId = r.Path("system_id") },
                    tx,
                    cancellationToken: r.Aborted)),
                r.Aborted);
        }

        return await RespondAsync(r, machine);
    }

    private static async Task<ApiResult> ReleaseAsync(ApiRequest r)
    {
        var power = r.Service<IPowerService>();
        var config = r.Service<ConfigStore>();
        // The config can force erasing; unset erase methods take the configured defaults.
        var options = new ReleaseOptions
        {
            Comment = r.String("comment"),
            Erase = r.Bool("erase", false) || await config.GetBoolAsync("enable_disk_erasing_on_release", r.Aborted),
        };
        var scripts = ScriptRequest.Defaults with
        {
            ReleaseValues = new Dictionary<string, bool>
            {
                ["secure_erase"] = r.Bool("secure_erase", await config.GetBoolAsync("disk_erase_with_secure_erase", r.Aborted)),
                ["quick_erase"] = r.Bool("quick_erase", await config.GetBoolAsync("disk_erase_with_quick_erase", r.Aborted)),
            },
        };
        return await LifecycleAsync(
            r,
            (m, now, timeout) => MachineLifecycle.Release(m, r.Caller.ToActor(), options with { PowerQueryable = power.CanQuery(m.PowerType) }, now, timeout),
            scripts);
    }

    private static Task<ApiResult> CommissionAsync(ApiRequest r)
    {
        var options = new CommissionOptions
        {
            EnableSsh = r.Bool("enable_ssh", false),
            SkipBmcConfig = r.Bool("skip_bmc_config", false),
            SkipNetworking = r.Bool("skip_networking", false),
            SkipStorage = r.Bool("skip_storage", false),
        };
        var scripts = ScriptRequest.Defaults with
        {
            Commissioning = ScriptRequest.Split(r.String("commissioning_scripts")),
            Testing = ScriptRequest.Split(r.String("testing_scripts")),
        };
        return LifecycleAsync(r, (m, now, timeout) => MachineLifecycle.Commission(m, r.Caller.ToActor(), options, now, timeout), scripts);
    }

    private static Task<ApiResult> TestAsync(ApiRequest r) =>
        LifecycleAsync(
            r,
            (m, now, timeout) => MachineLifecycle.Test(m, r.Caller.ToActor(), r.Bool("enable_ssh", false), now, timeout),
            ScriptRequest.Defaults with { Testing = ScriptRequest.Split(r.String("testing_scripts")) });

    private static Task<ApiResult> AbortAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.Abort(m, r.Caller.ToActor(), r.String("comment")));

    private static Task<ApiResult> MarkBrokenAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.MarkBroken(m, r.Caller.ToActor(), r.String("comment") ?? r.String("error_description")));

    private static Task<ApiResult> MarkFixedAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.MarkFixed(m, r.Caller.ToActor(), r.String("comment")));

    private static Task<ApiResult> LockAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.Lock(m, r.Caller.ToActor(), r.String("comment")));

    private static Task<ApiResult> UnlockAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.Unlock(m, r.Caller.ToActor(), r.String("comment")));

    private static Task<ApiResult> RescueModeAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, now, timeout) => MachineLifecycle.EnterRescueMode(m, r.Caller.ToActor(), now, timeout));

    private static Task<ApiResult> ExitRescueModeAsync(ApiRequest r)
    {
        var power = r.Service<IPowerService>();
        return LifecycleAsync(r, (m, now, _) => MachineLifecycle.ExitRescueMode(m, r.Caller.ToActor(), now, power.CanQuery(m.PowerType)));
    }

    private static Task<ApiResult> OverrideFailedTestingAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, _, _) => MachineLifecycle.OverrideFailedTesting(m, r.Caller.ToActor(), r.String("comment")));

    private static Task<ApiResult> PowerOnAsync(ApiRequest r) =>
        LifecycleAsync(r, (m, now, timeout) => MachineLifecycle.PowerOn(m, r.Caller.ToActor(), r.String("comment"), now, timeout));

    private static Task<ApiResult> PowerOffAsync(ApiRequest r)
    {
        var soft = r.String("stop_mode") == "soft";
        return LifecycleAsync(r, (m, _, _) => MachineLifecycle.PowerOff(m, r.Caller.ToActor(), soft, r.String("comment")));
    }

    private static async Task<ApiResult> QueryPowerStateAsync(ApiRequest r)
    {
        var view = await ViewAsync(r, r.Path("system_id"));
        var power = r.Service<IPowerService>();
        var state = power.CanQuery(view.PowerType)
            ? await power.QueryAsync(view.SystemId, view.PowerType, r.Aborted)
            : view.PowerState;
        return ApiResult.Json(new { state });
    }

    private static async Task<ApiResult> PowerParametersAsync(ApiRequest r)
    {
        var db = r.Service<Database>();
        var machine = await LockedMachineAsync(r, NodePermission.AdminRead);
        var json = await db.ReadAsync(c => MachineWrites.PowerParametersAsync(c, null, machine.Id, r.Aborted), r.Aborted);
        return ApiResult.JsonUtf8(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static async Task<ApiResult> DetailsAsync(ApiRequest r)
    {
        var view = await ViewAsync(r, r.Path("system_id"));
        var (lshw, lldp) = await r.Service<Database>().ReadAsync(
            c => c.QuerySingleOrDefaultAsync<(string?, string?)>(new CommandDefinition(
                "SELECT lshw, lldp FROM node_probed_details WHERE node_id = @id", new { id = view.Id }, cancellationToken: r.Aborted)),
            r.Aborted);
        return ApiResult.Bytes(Bson.BinaryDocument([("lshw", lshw), ("lldp", lldp)]), "application/bson");
    }

    private static async Task<ApiResult> GetTokenAsync(ApiRequest r)
    {
        var machine = await LockedMachineAsync(r, NodePermission.AdminRead);
        var key = await r.Service<Database>().InTransactionAsync((c, tx) => NodeKeyStore.GetOrCreateAsync(c, tx, machine.Id, r.Aborted), r.Aborted);
        return ApiResult.Json(new Dictionary<string, string>
        {
            ["token_key"] = key.TokenKey,
            ["token_secret"] = key.TokenSecret,
            ["consumer_key"] = key.ConsumerKey,
        });
    }

    private static async Task<ApiResult> SetWorkloadAnnotationsAsync(ApiRequest r)
    {
        var pairs = r.Form.Keys.Select(k => (Key: k, Value: r.String(k) ?? "")).ToList();
        await r.Service<MachineOperations>().RunAsync(
            r.Path("system_id"),
            r.Caller.ToActor(),
            m =>
            {
                NodePermissions.Require(r.Caller.ToActor(), m, NodePermission.Edit);
                if (m.OwnerId != r.Caller.Id)
                    throw new ConflictException("Can't set workload annotations on a machine you don't own.");
                foreach (var (key, value) in pairs)
                {
                    if (value.Length == 0)
                        m.WorkloadAnnotations.Remove(key);
                    else
                        m.WorkloadAnnotations[key] = value;
                }

                return LifecycleOutcome.Nothing;
            },
            r.Aborted);
        return await RespondAsync(r, r.Path("system_id"));
    }

    /// <summary>Checks a node permission outside of a lifecycle change (reads the machine without holding a lock).</summary>
    private static async Task<Machine> LockedMachineAsync(ApiRequest r, NodePermission permission)
    {
        var machine = await r.Service<Database>().InTransactionAsync(
            (c, tx) => MachineOperations.LockMachineAsync(c, tx, r.Path("system_id"), r.Aborted), r.Aborted) ?? throw MachineOperations.NotFound(r.Path("system_id"));
        NodePermissions.Require(r.Caller.ToActor(), machine, permission);
        return machine;
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest r)
    {
        var systemId = r.Path("system_id");
        var actor = r.Caller.ToActor();
        var power = r.Service<IPowerService>();
        var pools = NamedEntityStore.Pools(r.Service<Database>());
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineOperations.LockMachineAsync(c, tx, systemId, r.Aborted) ?? throw MachineOperations.NotFound(systemId);
                NodePermissions.Require(actor, m, NodePermission.Admin);
                var columns = new Dictionary<string, object?>();
                var errors = new FieldErrors();
                await NodeUpdate.ReadCommonAsync(r, c, tx, m.Id, columns, errors);
                errors.Try(() =>
                {
                    if (r.String("architecture") is { } arch)
                        columns["architecture"] = MachineFields.Architecture(arch, null);
                });
                errors.Try(() =>
                {
                    if (r.String("min_hwe_kernel") is { } kernel)
                        columns["min_hwe_kernel"] = MachineFields.MinHweKernel(kernel);
                });
                await NodeUpdate.ReadPowerAsync(r, c, tx, m.Id, columns, errors);
                if (r.String("pool") is { } poolName)
                {
                    if (await pools.FindAsync(c, tx, poolName, r.Aborted) is { } pool)
                        columns["pool_id"] = pool.Id;
                    else
                        errors.Add("pool", $"Select a valid choice. {poolName} is not one of the available choices.");
                }

                if (r.Has("swap_size"))
                    columns["swap_size"] = errors.NonNegative("swap_size", r.Int("swap_size"));
                if (r.Bool("disable_ipv4") is { } disableIpv4)
                    columns["disable_ipv4"] = disableIpv4;
                if (r.Has("cpu_count"))
                    columns["cpu_count"] = errors.NonNegative("cpu_count", r.Int("cpu_count")) ?? 0;
                if (r.Has("memory"))
                    columns["memory"] = errors.NonNegative("memory", r.Int("memory")) ?? 0;
                errors.ThrowIfAny();
                await NodeUpdate.SaveAsync(c, tx, m.Id, columns, actor, r.Aborted);
            },
            r.Aborted);
        return await RespondAsync(r, systemId);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest r)
    {
        var systemId = r.Path("system_id");
        var actor = r.Caller.ToActor();
        await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineOperations.LockMachineAsync(c, tx, systemId, r.Aborted) ?? throw MachineOperations.NotFound(systemId);
                NodePermissions.Require(actor, m, NodePermission.Admin);
                await EventStore.RecordAsync(c, tx, m.Id, new NodeEvent(EventTypes.NODE, $"Deleted machine '{m.Hostname}'.", "delete"), actor, r.Aborted);
                await MachineWrites.DeleteAsync(c, tx, m.Id, r.Aborted);
            },
            r.Aborted);
        return ApiResult.Deleted;
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
