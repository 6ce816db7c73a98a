using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Racks;
using Anvil.Domain.Boot;
using Anvil.Domain.Errors;
using Anvil.Domain.Leases;
using Anvil.Domain.Machines;

namespace Anvil.Region.RackLink;

/// <summary>
/// Answers a rack's <c>get_boot_config</c> (maas-api.md §8.2, §9.2): which node the MAC or UUID
/// is, what it should boot (<see cref="BootDecision"/>), and where the kernel, initrd and root
/// filesystem are below the rack's <c>/images/</c>. Until boot images are imported (the images
/// issue) the paths follow the layout <c>&lt;osystem&gt;/&lt;arch&gt;/&lt;subarch&gt;/&lt;series&gt;/stable/&lt;file&gt;</c>,
/// and every purpose other than deployment boots Anvil's ephemeral environment from
/// <c>anvil/&lt;arch&gt;/&lt;subarch&gt;/ephemeral/stable/</c>; the rack serves whatever is there.
/// </summary>
internal sealed class BootConfigService(Database db, ConfigStore config)
{
    /// <summary>The first path segment of the ephemeral environment's kernel and initrd (it has no root filesystem).</summary>
    public const string EphemeralImageDir = "anvil";

    public async Task<BootConfig> GetAsync(BootRequest request, CancellationToken ct)
    {
        var mac = request.Mac is null ? null : LeaseRules.NormaliseMac(request.Mac)
            ?? throw new ValidationException("mac", $"'{request.Mac}' is not a MAC address.");
        var node = mac is null && request.HardwareUuid is null
            ? null
            : await db.ReadAsync(c => BootNodeQueries.FindAsync(c, mac, request.HardwareUuid, ct), ct);
        var purpose = node switch
        {
            null => BootPurpose.Enlist,
            { NodeType: 0 } => BootDecision.For(new Machine
            {
                SystemId = node.SystemId,
                Hostname = node.Hostname,
                Status = (NodeStatus)node.Status,
                EphemeralDeploy = node.EphemeralDeploy,
                Netboot = node.Netboot,
            }),
            _ => BootPurpose.Local,
        };

        var (arch, subarch) = SplitArchitecture(node?.Architecture, request.Arch, request.Subarch);
        var commissioningOs = await StringAsync("commissioning_osystem", "ubuntu", ct);
        var commissioningSeries = await StringAsync("commissioning_distro_series", "noble", ct);
        // Only a deployment to memory boots the chosen OS over the network. Everything else that
        // network-boots, installing to disk included, boots Anvil's own ephemeral environment
        // (scripts/ephemeral.sh installs it there): its installer writes the image, as curtin does
        // inside MAAS's ephemeral environment (docs/architecture/deployment.md).
        var deploying = purpose is BootPurpose.Ephemeral;
        var chosenOs = purpose is BootPurpose.Xinstall or BootPurpose.Ephemeral;
        var osystem = chosenOs && node is { Osystem.Length: > 0 } ? node.Osystem : commissioningOs;
        var series = chosenOs && node is { DistroSeries.Length: > 0 } ? node.DistroSeries : commissioningSeries;
        var imageDir = deploying ? $"{osystem}/{arch}/{subarch}/{series}/stable" : $"{EphemeralImageDir}/{arch}/{subarch}/ephemeral/stable";
        var rack = request.LocalIp;
        var metadata = $"http://{HostForUrl(rack)}:5248/MAAS/metadata/";
        return new BootConfig
        {
            Purpose = purpose,
            Arch = arch,
            Subarch = subarch,
            Osystem = osystem,
            Release = series,
            Kernel = $"{imageDir}/boot-kernel",
            Initrd = $"{imageDir}/boot-initrd",
            Rootfs = deploying ? $"{imageDir}/squashfs" : "",
            SystemId = node?.SystemId,
            Hostname = node?.Hostname ?? "maas-enlist",
            Domain = node?.Domain ?? "maas",
            PreseedUrl = node is null ? $"{metadata}latest/enlist-preseed/?op=get_enlist_preseed" : $"{metadata}latest/by-id/{node.SystemId}/?op=get_preseed",
            FsHost = rack,
            LogHost = rack,
            ExtraOpts = await StringAsync("kernel_opts", "", ct),
        };
    }

    private async Task<string> StringAsync(string name, string fallback, CancellationToken ct) =>
        await config.GetAsync(name, ct) is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : fallback;

    /// <summary>The node's <c>arch/subarch</c> wins; otherwise what the client reported; amd64/generic when nothing is known.</summary>
    private static (string Arch, string Subarch) SplitArchitecture(string? nodeArchitecture, string? arch, string? subarch)
    {
        if (!string.IsNullOrEmpty(nodeArchitecture))
        {
            var parts = nodeArchitecture.Split('/', 2);
            return (parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "generic");
        }

        return (string.IsNullOrEmpty(arch) ? "amd64" : arch, string.IsNullOrEmpty(subarch) ? "generic" : subarch);
    }

    private static string HostForUrl(string ip) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
}
