using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Metadata;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Metadata;

/// <summary>
/// The listings, meta-data items, netboot switches and preseeds of the metadata server
/// (maas-api.md §7.1–7.2). Listings are sorted and newline separated, as MAAS writes them.
/// </summary>
internal sealed class MetadataHandlers(Database db, SignalProcessor signals, ScriptsTar scripts, UserDataHandler userData)
{
    private const string YamlContentType = "application/x-yaml; charset=utf-8";
    private const string TarContentType = "application/x-tar";
    private const string LegacyTarContentType = "application/tar";

    // Enlisting machines have no node yet; cloud-init still asks for these.
    private static readonly Dictionary<string, string> EnlistMetaData = new(StringComparer.Ordinal)
    {
        ["instance-id"] = "i-maas-enlistment",
        ["local-hostname"] = "maas-enlisting-node",
        ["public-keys"] = "",
    };

    public static ApiResult Index() => List(MetadataRoute.Versions);

    public async Task<ApiResult> VersionIndexAsync(MetadataRequest r)
    {
        if (r.Node is not { } key)
            return List(["meta-data", "user-data"]);
        var node = await NodeAsync(key, r.Aborted);
        return List(userData.HasUserData(node) ? ["maas-commissioning-scripts", "meta-data", "user-data"] : ["maas-commissioning-scripts", "meta-data"]);
    }

    public async Task<ApiResult> VersionPostAsync(MetadataRequest r)
    {
        var op = r.Field("op");
        var key = r.Node ?? throw new UnauthorizedException("Authorization Error: 'No credentials were provided; sign the request with the node's token.'");
        switch (op)
        {
            case "signal":
                await signals.SignalAsync(key, SignalRequest.Parse(r), r.Aborted);
                return ApiResult.Ok;
            case "netboot_off" or "netboot_on":
                await db.InTransactionAsync((c, tx) => MetadataNode.SetNetbootAsync(c, tx, key.NodeId, op == "netboot_on", r.Aborted), r.Aborted);
                return ApiResult.Ok;
            default:
                throw new BadRequestException($"Unrecognised signature: method=POST op={op ?? "None"}");
        }
    }

    public async Task<ApiResult> MetaDataAsync(MetadataRequest r)
    {
        if (r.Node is not { } key)
            return EnlistMetaDataItem(r.Route.Item);
        var node = await NodeAsync(key, r.Aborted);
        var keys = await db.ReadAsync(c => MetadataNode.SshKeysAsync(c, node.OwnerId, r.Aborted), r.Aborted);
        if (r.Route.Item.Length == 0)
        {
            var commissioningWithoutSsh = node.Status == (int)NodeStatus.COMMISSIONING && !node.EnableSsh;
            List<string> fields = ["instance-id", "local-hostname", "public-keys", "vendor-data", "x509"];
            if (keys.Count == 0 || commissioningWithoutSsh)
                fields.Remove("public-keys");
            return List(fields);
        }

        return r.Route.Item.Split('/')[0] switch
        {
            "instance-id" => ApiResult.Text(node.SystemId),
            "local-hostname" => ApiResult.Text(node.Fqdn),
            "public-keys" => List(keys),
            // Anvil keeps no SSL keys for users; the item exists, empty.
            "x509" => List([]),
            "vendor-data" => ApiResult.Text(VendorData(), contentType: YamlContentType),
            var other => throw new NotFoundException($"Unknown metadata attribute: {other}"),
        };
    }

    public static ApiResult EnlistIndex() => List(["meta-data", "user-data"]);

    public static ApiResult EnlistMetaDataItem(string item)
    {
        if (item.Length == 0)
            return List(EnlistMetaData.Keys.Where(k => k != "public-keys"));
        return EnlistMetaData.TryGetValue(item, out var value) ? ApiResult.Text(value) : throw new NotFoundException($"Unknown metadata attribute: {item}");
    }

    public async Task<ApiResult> MaasScriptsAsync(MetadataRequest r)
    {
        if (r.Node is not { } key)
            return ApiResult.Bytes(await scripts.ForEnlistmentAsync(r.Aborted), TarContentType);
        var tar = await scripts.ForNodeAsync(key, r.Aborted);
        return tar is null ? ApiResult.Bytes(ReadOnlyMemory<byte>.Empty, TarContentType, StatusCodes.Status204NoContent) : ApiResult.Bytes(tar, TarContentType);
    }

    public async Task<ApiResult> CommissioningScriptsAsync(MetadataRequest r)
    {
        _ = r.Node ?? throw new UnauthorizedException("Authorization Error: 'No credentials were provided; sign the request with the node's token.'");
        return ApiResult.Bytes(await scripts.CommissioningScriptsAsync(r.Aborted), LegacyTarContentType);
    }

    /// <summary><c>by-id/{system_id}/</c>: the node's preseed (GET get_preseed) and netboot off (POST), both anonymous as in MAAS.</summary>
    public async Task<ApiResult> ByIdAsync(MetadataRequest r)
    {
        var op = r.Field("op");
        var method = r.Http.Request.Method;
        var systemId = r.Route.SystemId!;
        if (HttpMethods.IsGet(method) && op == "get_preseed")
        {
            var (key, status, enableSsh) = await db.InTransactionAsync(
                async (c, tx) =>
                {
                    var node = await MetadataNode.FindAsync(c, tx, systemId, r.Aborted) ?? throw NoSuchNode();
                    return (await NodeKeyStore.GetOrCreateAsync(c, tx, node.Id, r.Aborted), (NodeStatus)node.Status, node.EnableSsh);
                },
                r.Aborted);
            return ApiResult.Text(Preseeds.ForNode(key, status, enableSsh, r.Http.Request));
        }

        if (HttpMethods.IsPost(method) && op == "netboot_off")
        {
            await db.InTransactionAsync(
                async (c, tx) =>
                {
                    var node = await MetadataNode.FindAsync(c, tx, systemId, r.Aborted) ?? throw NoSuchNode();
                    await MetadataNode.SetNetbootAsync(c, tx, node.Id, false, r.Aborted);
                    await EventStore.RecordAsync(c, tx, node.Id, new NodeEvent(EventTypes.NODE_INSTALLATION_FINISHED, "Node disabled netboot"), null, r.Aborted);
                },
                r.Aborted);
            return ApiResult.Ok;
        }

        throw new BadRequestException($"Unrecognised signature: method={method} op={op ?? "None"}");
    }

    public static ApiResult EnlistPreseed(MetadataRequest r)
    {
        var op = r.Field("op");
        return HttpMethods.IsGet(r.Http.Request.Method) && op == "get_enlist_preseed"
            ? ApiResult.Text(Preseeds.ForEnlistment(r.Http.Request))
            : throw new BadRequestException($"Unrecognised signature: method={r.Http.Request.Method} op={op ?? "None"}");
    }

    private async Task<MetadataNode> NodeAsync(NodeKey key, CancellationToken ct) =>
        await db.ReadAsync(c => MetadataNode.FindAsync(c, null, key.SystemId, ct), ct) ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);

    private static NotFoundException NoSuchNode() => new("No Node matches the given query.");

    /// <summary>cloud-init's vendor data: a cloud-config document in a YAML string (nothing to add yet).</summary>
    private static string VendorData() => $"cloud-init: {CloudConfigYaml.Quote("#cloud-config\n{}\n")}\n";

    private static ApiResult List(IEnumerable<string> items) =>
        ApiResult.Text(string.Join('\n', items.Order(StringComparer.Ordinal)), contentType: "text/plain");
}
