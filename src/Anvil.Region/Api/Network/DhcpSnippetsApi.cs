using System.Globalization;
using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Dhcp;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>dhcp-snippets/</c> and <c>dhcp-snippets/{id}/</c>. <c>value</c> is ISC dhcpd text,
/// but only <c>option</c> statements of known options are accepted (<see cref="DhcpSnippetParser"/>);
/// they are stored as structured options the rack applies, and rendered back as normalised text.
/// A snippet is global, for a node, or for a subnet (optionally one IP range of it).
/// </summary>
internal static class DhcpSnippetsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("DHCPSnippetsHandler", "dhcp-snippets/", "Manage DHCP snippets.")
            .Read(ListAsync, "List all DHCP snippets.\n\nEvery snippet with its history.")
            .Create(CreateAsync, "Create a DHCP snippet.\n\nGlobal unless node or subnet is given.", ApiAccess.Admin, [.. FormParams(create: true)]);

        api.Handler("DHCPSnippetHandler", "dhcp-snippets/{id}/", "Manage a DHCP snippet.")
            .Read(ReadAsync, "Read a DHCP snippet.\n\nWith its earlier values, newest first.", NotFound)
            .Update(UpdateAsync, "Update a DHCP snippet.\n\nAbsent fields keep their value; a new value keeps the old one in the history.", ApiAccess.Admin, [NotFound, .. FormParams(create: false)])
            .Delete(DeleteAsync, "Delete a DHCP snippet.\n\nIts history goes with it.", ApiAccess.Admin, NotFound, ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "revert",
                RevertAsync,
                "Revert a DHCP snippet.\n\nMakes an earlier value current again; it and every later value leave the history.",
                ApiAccess.Admin,
                ApiParam.Int("to", "A history id, or -N for the Nth earlier value.", required: true),
                NotFound,
                ApiError.BadRequest("to is missing or names no earlier value."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such DHCP snippet.");

    private static ApiSpecItem[] FormParams(bool create) =>
    [
        ApiParam.String("name", "Name of the snippet.", required: create),
        ApiParam.String("value", $"'option <name or code> <value>;' statements; options: {string.Join(", ", DhcpOptionCatalog.All.Select(o => $"{o.Name} ({o.Code})"))}.", required: create),
        ApiParam.String("description", "Description of the snippet."),
        ApiParam.Bool("enabled", "Whether the rack applies the snippet (default true)."),
        ApiParam.String("node", "system_id of the node the snippet is for."),
        ApiParam.String("subnet", "The subnet the snippet is for (id, CIDR or specifier)."),
        ApiParam.Int("iprange", "id of an IP range of the subnet the snippet is for."),
        ApiParam.Bool("global_snippet", "Make the snippet global (clears node, subnet and iprange)."),
        ApiError.BadRequest("A value is invalid or unsupported, or the scope is contradictory."),
        ApiError.Forbidden("The caller is not an admin."),
    ];

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json(await RenderAsync(c, null, await DhcpSnippetStore.ListAsync(c, null, request.Aborted), request.Aborted)),
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json((await RenderAsync(c, null, [await FindAsync(c, null, request)], request.Aborted))[0]),
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var values = await ReadFormAsync(request, c, tx, current: null);
                var snippet = await DhcpSnippetStore.CreateAsync(c, tx, values, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created DHCP snippet '{snippet.Name}'.");
                return (await RenderAsync(c, tx, [snippet], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await FindAsync(c, tx, request);
                await DhcpSnippetStore.LockAsync(c, tx, current.Id, request.Aborted);
                var values = await ReadFormAsync(request, c, tx, current);
                var snippet = await DhcpSnippetStore.UpdateAsync(c, tx, current.Id, values, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated DHCP snippet '{snippet.Name}'.");
                return (await RenderAsync(c, tx, [snippet], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var snippet = await FindAsync(c, tx, request);
                await DhcpSnippetStore.DeleteAsync(c, tx, snippet.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted DHCP snippet '{snippet.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> RevertAsync(ApiRequest request)
    {
        var to = request.Int("to") ?? throw new ValidationException("to", "This field is required.");
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await FindAsync(c, tx, request);
                await DhcpSnippetStore.LockAsync(c, tx, current.Id, request.Aborted);
                var history = (await DhcpSnippetStore.HistoryAsync(c, tx, [current.Id], request.Aborted))[current.Id].ToList();
                var version = (to < 0 ? history.ElementAtOrDefault(-to - 1) : history.FirstOrDefault(v => v.Id == to))
                    ?? throw new ValidationException("to", $"{to} is not in the history of DHCP snippet '{current.Name}'.");
                var snippet = await DhcpSnippetStore.RevertAsync(c, tx, current.Id, version, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Reverted DHCP snippet '{snippet.Name}' to version {version.Id}.");
                return (await RenderAsync(c, tx, [snippet], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<DhcpSnippetValues> ReadFormAsync(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, DhcpSnippetRecord? current)
    {
        var errors = new FieldErrors();
        var name = request.Has("name") || current is null ? request.String("name")?.Trim() ?? "" : current.Name;
        if (name.Length == 0)
            errors.Add("name", "This field is required.");
        var options = current?.OptionsJson ?? "";
        if (request.Has("value") || current is null)
            errors.Try(() => options = DhcpOptionsJson.Serialize(DhcpSnippetParser.Parse(request.String("value"))));
        var description = request.String("description") ?? current?.Description ?? "";
        var enabled = current?.Enabled ?? true;
        errors.Try(() => enabled = request.Bool("enabled") ?? enabled);
        var global = false;
        errors.Try(() => global = request.Bool("global_snippet") ?? false);

        var nodeGiven = request.String("node") is { Length: > 0 };
        var subnetGiven = request.String("subnet") is { Length: > 0 };
        var rangeGiven = request.String("iprange") is { Length: > 0 };
        long? nodeId = current?.NodeId, subnetId = current?.SubnetId, rangeId = current?.IpRangeId;
        if (global && (nodeGiven || subnetGiven || rangeGiven))
            errors.Add("__all__", "A global DHCP snippet cannot also be for a node, a subnet or an IP range.");
        else if (nodeGiven && (subnetGiven || rangeGiven))
            errors.Add("__all__", "A DHCP snippet is for a node or for a subnet, not both.");
        if (global || request.Has("node") || request.Has("subnet") || request.Has("iprange"))
            (nodeId, subnetId, rangeId) = (null, null, null);

        if (nodeGiven)
        {
            nodeId = await DhcpSnippetStore.FindNodeAsync(c, tx, request.String("node")!.Trim(), request.Aborted);
            if (nodeId is null)
                errors.Add("node", NetworkLookups.InvalidChoice);
        }

        if (subnetGiven)
        {
            subnetId = (await NetworkLookups.SubnetFieldAsync(c, tx, request.String("subnet")!.Trim(), request.Aborted))?.Id;
            if (subnetId is null)
                errors.Add("subnet", NetworkLookups.InvalidChoice);
        }

        if (rangeGiven)
        {
            IpRangeRecord? range = null;
            errors.Try(() => rangeId = request.Int("iprange"));
            if (rangeId is { } id)
                range = await IpRangeStore.FindAsync(c, tx, id, request.Aborted);
            if (range is null)
                errors.Add("iprange", NetworkLookups.InvalidChoice);
            else if (subnetGiven && subnetId is not null && range.SubnetId != subnetId)
                errors.Add("iprange", "The IP range is not in the snippet's subnet.");
            else
                subnetId = range.SubnetId;
        }

        errors.ThrowIfAny();
        return new DhcpSnippetValues(name, description, options, enabled, nodeId, subnetId, rangeId);
    }

    private static async Task<DhcpSnippetRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request) =>
        (long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await DhcpSnippetStore.FindAsync(c, tx, id, request.Aborted) : null)
        ?? throw new NotFoundException("No DHCPSnippet matches the given query.");

    private static async Task<List<DhcpSnippetDto>> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<DhcpSnippetRecord> snippets, CancellationToken ct)
    {
        var renderer = await NetworkRenderer.LoadAsync(c, tx, ct);
        var subnets = (await SubnetStore.ListAsync(c, tx, ct)).ToDictionary(s => s.Id);
        var history = await DhcpSnippetStore.HistoryAsync(c, tx, [.. snippets.Select(s => s.Id)], ct);
        var ranges = new Dictionary<long, IpRangeRecord>();
        foreach (var rangeId in snippets.Select(s => s.IpRangeId).OfType<long>().Distinct())
        {
            if (await IpRangeStore.FindAsync(c, tx, rangeId, ct) is { } range)
                ranges[rangeId] = range;
        }

        return snippets.Select(s => new DhcpSnippetDto(
            s.Id,
            s.Name,
            DhcpOptionsJson.ToText(DhcpOptionsJson.Deserialize(s.OptionsJson)),
            history[s.Id].Select(v => new DhcpSnippetVersionDto(v.Id, DhcpOptionsJson.ToText(DhcpOptionsJson.Deserialize(v.OptionsJson)), ApiJson.FormatDateTime(v.Created))).ToList(),
            s.Description,
            s.Enabled,
            s.NodeSystemId is { } systemId ? new DhcpSnippetNodeDto(systemId, s.NodeHostname!, $"{s.NodeHostname}.{s.NodeDomain}", ResourceUris.Item("nodes", systemId)) : null,
            s.SubnetId is { } subnetId && subnets.TryGetValue(subnetId, out var subnet) ? renderer.Subnet(subnet) : null,
            s.IpRangeId is { } id && ranges.TryGetValue(id, out var r) ? new DhcpSnippetRangeDto(r.Id, r.Type, r.StartIp, r.EndIp, r.Comment, ResourceUris.Item("ipranges", r.Id)) : null,
            s.NodeId is null && s.SubnetId is null,
            ResourceUris.Item("dhcp-snippets", s.Id))).ToList();
    }
}

internal sealed record DhcpSnippetDto(
    long Id,
    string Name,
    string Value,
    IReadOnlyList<DhcpSnippetVersionDto> History,
    string Description,
    bool Enabled,
    DhcpSnippetNodeDto? Node,
    Dto.SubnetDto? Subnet,
    DhcpSnippetRangeDto? Iprange,
    bool GlobalSnippet,
    string ResourceUri);

internal sealed record DhcpSnippetVersionDto(long Id, string Value, string Created);

internal sealed record DhcpSnippetNodeDto(string SystemId, string Hostname, string Fqdn, string ResourceUri);

internal sealed record DhcpSnippetRangeDto(long Id, string Type, string StartIp, string EndIp, string Comment, string ResourceUri);
