using System.Text.Json.Nodes;
using Anvil.Domain.Power;
using Microsoft.Extensions.Logging;

namespace Anvil.Rack.Power.Redfish;

/// <summary>
/// Drives a BMC through DMTF Redfish over HTTPS: power state from <c>ComputerSystem.PowerState</c>,
/// actions through <c>ComputerSystem.Reset</c> with a reset type the BMC allows, PXE-once through
/// <c>Boot.BootSourceOverride*</c>. Each action opens its own connection and session because actions
/// are rare and each machine may carry its own TLS policy (<c>power_verify_ssl</c>).
/// </summary>
internal sealed class RedfishPowerDriver(RedfishDriverOptions options, ILogger<RedfishPowerDriver> logger) : IPowerDriver
{
    private static readonly string[] OnTypes = ["On", "ForceOn"];
    private static readonly string[] OffTypes = ["ForceOff", "GracefulShutdown"];
    private static readonly string[] RestartTypes = ["ForceRestart", "PowerCycle"];

    public PowerDriverDescription Description => PowerDrivers.Redfish;

    public async Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var bmc = await RedfishConnection.OpenAsync(parameters, options, logger, ct);
        return (await FindSystemAsync(bmc, parameters, ct)).PowerState;
    }

    public async Task PowerOnAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var bmc = await RedfishConnection.OpenAsync(parameters, options, logger, ct);
        var system = await FindSystemAsync(bmc, parameters, ct);
        if (system.PowerState == PowerState.On)
        {
            RedfishLog.AlreadyOn(logger, system.Path, bmc.Bmc);
            return;
        }

        await ResetAsync(bmc, system, OnTypes, ct);
    }

    public async Task PowerOffAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var bmc = await RedfishConnection.OpenAsync(parameters, options, logger, ct);
        var system = await FindSystemAsync(bmc, parameters, ct);
        if (system.RawPowerState == "Off")
        {
            RedfishLog.AlreadyOff(logger, system.Path, bmc.Bmc);
            return;
        }

        await ResetAsync(bmc, system, OffTypes, ct);
    }

    /// <summary>Restarts a running machine; one that is off is simply turned on, since a restart of an off system does nothing on many BMCs.</summary>
    public async Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var bmc = await RedfishConnection.OpenAsync(parameters, options, logger, ct);
        var system = await FindSystemAsync(bmc, parameters, ct);
        await ResetAsync(bmc, system, system.PowerState == PowerState.Off ? OnTypes : RestartTypes, ct);
    }

    public async Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var bmc = await RedfishConnection.OpenAsync(parameters, options, logger, ct);
        var system = await FindSystemAsync(bmc, parameters, ct);
        if (system.AllowableBootTargets.Count > 0 && !system.AllowableBootTargets.Contains("Pxe", StringComparer.Ordinal))
            throw new PowerException(PowerErrorKind.NotSupported, $"The Redfish system {system.Path} on {bmc.Bmc} cannot boot from the network (boot targets: {string.Join(", ", system.AllowableBootTargets)}).");

        var patch = new JsonObject { ["Boot"] = new JsonObject { ["BootSourceOverrideTarget"] = "Pxe", ["BootSourceOverrideEnabled"] = "Once" } };
        if (!await bmc.TryPatchAsync(system.Path, patch, system.ETag, ct))
        {
            // Someone changed the system between our read and our write: read again, try once more.
            system = await ReadSystemAsync(bmc, system.Path, ct);
            if (!await bmc.TryPatchAsync(system.Path, patch, system.ETag, ct))
                throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish system {system.Path} on {bmc.Bmc} kept changing while setting network boot (HTTP 412 twice).");
        }

        RedfishLog.PxeOnce(logger, system.Path, bmc.Bmc);
    }

    private async Task ResetAsync(RedfishConnection bmc, RedfishSystem system, string[] preferred, CancellationToken ct)
    {
        var resetType = system.ChooseResetType(preferred)
            ?? throw new PowerException(PowerErrorKind.NotSupported, $"The Redfish system {system.Path} on {bmc.Bmc} allows reset types {string.Join(", ", system.AllowableResetTypes)}, none of {string.Join(", ", preferred)}.");
        await bmc.PostAsync(system.ResetTarget, new JsonObject { ["ResetType"] = resetType }, ct);
        RedfishLog.ResetSent(logger, system.Path, bmc.Bmc, resetType);
    }

    /// <summary>The system named by <c>node_id</c>, or the BMC's only system when <c>node_id</c> is empty.</summary>
    private static async Task<RedfishSystem> FindSystemAsync(RedfishConnection bmc, PowerParameters parameters, CancellationToken ct)
    {
        var nodeId = parameters.Get("node_id").Trim();
        if (nodeId.Length > 0)
        {
            var path = nodeId.StartsWith("/redfish/", StringComparison.Ordinal) ? nodeId : SystemsPath(bmc).TrimEnd('/') + "/" + Uri.EscapeDataString(nodeId);
            var (body, etag) = await bmc.GetIfExistsAsync(path, ct)
                ?? throw new PowerException(PowerErrorKind.InvalidParameters, $"The Redfish BMC at {bmc.Bmc} has no system '{nodeId}' ({path}); check node_id.");
            return RedfishSystem.From(path, body, etag);
        }

        var (collection, _) = await bmc.GetAsync(SystemsPath(bmc), ct);
        var members = collection["Members"] is JsonArray array ? array.Select(m => m?["@odata.id"].Text()).OfType<string>().ToList() : [];
        return members.Count switch
        {
            1 => await ReadSystemAsync(bmc, members[0], ct),
            0 => throw new PowerException(PowerErrorKind.ProtocolError, $"The Redfish BMC at {bmc.Bmc} lists no systems in {SystemsPath(bmc)}."),
            _ => throw new PowerException(PowerErrorKind.InvalidParameters, $"The Redfish BMC at {bmc.Bmc} manages {members.Count} systems ({string.Join(", ", members.Select(m => m.TrimEnd('/').Split('/')[^1]))}); set node_id to the one this machine is."),
        };
    }

    private static async Task<RedfishSystem> ReadSystemAsync(RedfishConnection bmc, string path, CancellationToken ct)
    {
        var (body, etag) = await bmc.GetAsync(path, ct);
        return RedfishSystem.From(path, body, etag);
    }

    private static string SystemsPath(RedfishConnection bmc) => bmc.Root?["Systems"]?["@odata.id"].Text() ?? "/redfish/v1/Systems";
}
