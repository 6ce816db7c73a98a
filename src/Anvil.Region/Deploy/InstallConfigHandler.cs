using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Netplan;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Metadata;
using Dapper;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Deploy;

/// <summary>
/// <c>GET /MAAS/metadata/{version}/install-config</c>: everything the installer in the ephemeral
/// environment needs to put the deployment on disk (docs/architecture/deployment.md). It exists
/// only while the machine is Deploying with netboot on — a 404 otherwise tells the runner to run
/// scripts as usual. A deployment that cannot be installed (no image, no root file system) is a
/// 409 naming why; the runner reports it as the deployment's failure.
/// </summary>
internal sealed class InstallConfigHandler(Database db, ConfigStore config, IStorageConfigSource storage, IDeployImages images)
{
    public async Task<ApiResult> ReadAsync(MetadataRequest r)
    {
        var key = r.Node ?? throw new UnauthorizedException("Authorization Error: 'No credentials were provided; sign the request with the node's token.'");
        var node = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<InstallNode>(new CommandDefinition(
            """
            SELECT n.id, n.system_id, n.hostname, d.name AS domain, n.status, n.netboot, n.osystem, n.distro_series, n.architecture
            FROM node n LEFT JOIN domain d ON d.id = n.domain_id WHERE n.id = @id
            """,
            new { id = key.NodeId },
            cancellationToken: r.Aborted)), r.Aborted)
            ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);
        if (node.Status != (int)NodeStatus.DEPLOYING || !node.Netboot)
            throw new NotFoundException("Nothing to install: the machine is not deploying to disk.");

        var image = await images.FindAsync(node.Osystem, node.DistroSeries, node.Architecture, r.Aborted)
            ?? throw new ConflictException($"No boot image for {node.Osystem}/{node.DistroSeries} on {node.Architecture}; import or upload one.");
        var storageConfig = await storage.RenderAsync(node.Id, r.Aborted);
        var (network, kernelOpts) = await db.ReadAsync(
            async c =>
            {
                var machineNetwork = await MachineNetplan.LoadAsync(c, null, node.SystemId, r.Aborted);
                var tagOpts = await c.QueryAsync<string>(new CommandDefinition(
                    """
                    SELECT t.kernel_opts FROM tag t JOIN node_tag nt ON nt.tag_id = t.id
                    WHERE nt.node_id = @id AND t.kernel_opts <> '' ORDER BY t.name
                    """,
                    new { id = node.Id },
                    cancellationToken: r.Aborted));
                return (machineNetwork, tagOpts.AsList());
            },
            r.Aborted);
        var globalOpts = await config.GetAsync("kernel_opts", r.Aborted) is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";

        var metadata = MetadataUrls.Base(r.Http.Request);
        var document = new JsonObject
        {
            ["version"] = 1,
            ["system_id"] = node.SystemId,
            ["hostname"] = node.Hostname,
            ["fqdn"] = string.IsNullOrEmpty(node.Domain) ? node.Hostname : $"{node.Hostname}.{node.Domain}",
            ["osystem"] = node.Osystem,
            ["distro_series"] = node.DistroSeries,
            ["storage"] = new JsonObject { ["version"] = 1, ["config"] = storageConfig },
            ["image"] = new JsonObject
            {
                ["url"] = $"{ImagesBase(r.Http.Request)}{image.Path}",
                ["filetype"] = image.FileType,
                ["sha256"] = image.Sha256,
                ["size"] = image.Size,
            },
            ["network"] = network is null ? new JsonObject { ["version"] = 2 } : NetplanJson.FromYaml(NetplanRenderer.Render(network)),
            ["datasource"] = new JsonObject
            {
                ["metadata_url"] = metadata,
                ["consumer_key"] = key.ConsumerKey,
                ["token_key"] = key.TokenKey,
                ["token_secret"] = key.TokenSecret,
            },
            ["kernel_opts"] = string.Join(' ', new[] { globalOpts }.Concat(kernelOpts).Where(o => !string.IsNullOrWhiteSpace(o))),
            ["reporting_url"] = $"{metadata}status/{node.SystemId}",
        };
        return ApiResult.Json(document);
    }

    /// <summary>The rack's <c>/images/</c>: images are served by racks on port 5248, never by the region's API port.</summary>
    private static string ImagesBase(HttpRequest request) =>
        $"http://{MetadataUrls.RackHost(request) ?? request.Host.Host}:{MetadataUrls.RackPort}/images/";

    private sealed class InstallNode
    {
        public long Id { get; set; }
        public string SystemId { get; set; } = "";
        public string Hostname { get; set; } = "";
        public string? Domain { get; set; }
        public int Status { get; set; }
        public bool Netboot { get; set; }
        public string Osystem { get; set; } = "";
        public string DistroSeries { get; set; } = "";
        public string Architecture { get; set; } = "";
    }
}
