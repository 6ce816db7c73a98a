using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Events;
using Anvil.Domain.Network;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network.Dto;
using Anvil.Region.Api.Resources;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>subnets/</c> and <c>subnets/{id}/</c>, where <c>{id}</c> is an id, a CIDR (with its
/// slash), a name or a specifier such as <c>cidr:</c>, <c>vlan:</c> or <c>ip:</c>.
/// </summary>
internal static class SubnetsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("SubnetsHandler", "subnets/", "Manage subnets.")
            .Read(ListAsync, "List subnets.\n\nEvery subnet, by id.")
            .Create(CreateAsync, "Create a subnet.\n\nThe CIDR is stored as its network address; the name defaults to the CIDR.", ApiAccess.Admin, FormParams(create: true));

        api.Handler("SubnetHandler", "subnets/{id}/", "Manage a subnet.")
            .PathParamPattern("id", @"[^/]+(/[0-9]+)?")
            .Read(ReadAsync, "Read a subnet.\n\nBy id, CIDR, name or specifier (cidr:, name:, vlan:, vid:, fabric:, space:, ip:, id:).", NotFound)
            .Update(UpdateAsync, "Update a subnet.\n\nAbsent fields keep their value; only 'vlan' moves the subnet to another VLAN.", ApiAccess.Admin, [NotFound, .. FormParams(create: false)])
            .Delete(
                DeleteAsync,
                "Delete a subnet.\n\nIts IP ranges and addresses go with it. Refused while DHCP serves one of its dynamic ranges, or (without force) while nodes hold static addresses in it.",
                ApiAccess.Admin,
                ApiParam.Bool("force", "Delete even if nodes hold static addresses in the subnet."),
                NotFound,
                ApiError.BadRequest("DHCP serves a dynamic range of the subnet, or nodes use its addresses."),
                ApiError.Forbidden("The caller is not an admin."))
            .Get("reserved_ip_ranges", ReservedAsync, "List reserved IP ranges.\n\nThe subnet's addresses in use, each run with its purposes.", NotFound)
            .Get("unreserved_ip_ranges", UnreservedAsync, "List unreserved IP ranges.\n\nThe subnet's free addresses, as runs.", NotFound)
            .Get(
                "statistics",
                StatisticsAsync,
                "Get subnet statistics.\n\nAvailable and unavailable address counts, usage, and on request the ranges and a suggested gateway and dynamic range.",
                ApiParam.Bool("include_ranges", "Include the used and unused ranges."),
                ApiParam.Bool("include_suggestions", "Include a suggested gateway and dynamic range."),
                NotFound)
            .Get(
                "ip_addresses",
                IpAddressesAsync,
                "Summary of IP addresses.\n\nThe subnet's addresses, with owners and the nodes they are on.",
                ApiParam.Bool("with_username", "Include the owner's username (default true)."),
                ApiParam.Bool("with_summary", "Include the node each address is on (default true)."),
                ApiParam.Bool("with_node_summary", "Deprecated: false is the same as with_summary=false."),
                NotFound);
    }

    private static ApiError NotFound => ApiError.NotFound("No such subnet.");

    private static ApiSpecItem[] FormParams(bool create) =>
    [
        ApiParam.String("cidr", "The network, e.g. 10.0.0.0/24.", required: create),
        ApiParam.String("name", "Name of the subnet (default: the CIDR)."),
        ApiParam.String("description", "Description of the subnet."),
        ApiParam.String("vlan", "id of the VLAN of the subnet."),
        .. create
            ? new ApiSpecItem[]
            {
                ApiParam.String("fabric", "Fabric (id or name) whose VLAN the subnet is on, when vlan is not given."),
                ApiParam.Int("vid", "vid of the VLAN in the fabric, when vlan is not given."),
            }
            : [],
        ApiParam.String("gateway_ip", "Gateway address, inside the subnet."),
        ApiParam.Int("rdns_mode", "Reverse DNS: 0 disabled, 1 enabled, 2 RFC2317 (default)."),
        ApiParam.Bool("allow_dns", "Allow DNS resolution from the subnet (default true)."),
        ApiParam.Bool("allow_proxy", "Allow the proxy from the subnet (default true)."),
        ApiParam.Strings("dns_servers", "DNS servers, separated by commas or spaces."),
        ApiParam.Bool("active_discovery", "Actively scan the subnet (default false)."),
        ApiParam.Bool("managed", "MAAS manages the subnet (default true)."),
        ApiParam.Strings("disabled_boot_architectures", "Boot architectures DHCP does not answer (names or octets)."),
        ApiError.BadRequest("A value is invalid, the CIDR overlaps another subnet, or the name is taken."),
        ApiError.Forbidden("The caller is not an admin."),
    ];

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var renderer = await NetworkRenderer.LoadAsync(c, null, request.Aborted);
                return ApiResult.Json((await SubnetStore.ListAsync(c, null, request.Aborted)).Select(renderer.Subnet).ToList());
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var subnet = await NetworkLookups.SubnetAsync(c, null, request.Path("id"), request.Aborted);
                return ApiResult.Json((await NetworkRenderer.LoadAsync(c, null, request.Aborted)).Subnet(subnet));
            },
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var values = await SubnetForm.ReadAsync(request, c, tx, current: null);
                var subnet = await SubnetStore.CreateAsync(c, tx, values, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created subnet '{subnet.Name}' ({subnet.Cidr}).");
                return (await NetworkRenderer.LoadAsync(c, tx, request.Aborted)).Subnet(subnet);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await NetworkLookups.SubnetAsync(c, tx, request.Path("id"), request.Aborted);
                await SubnetStore.LockAsync(c, tx, current.Id, request.Aborted);
                var values = await SubnetForm.ReadAsync(request, c, tx, current);
                var subnet = await SubnetStore.UpdateAsync(c, tx, current.Id, values, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated subnet '{subnet.Name}' ({subnet.Cidr}).");
                return (await NetworkRenderer.LoadAsync(c, tx, request.Aborted)).Subnet(subnet);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var subnet = await NetworkLookups.SubnetAsync(c, tx, request.Path("id"), request.Aborted);
                await SubnetStore.DeleteAsync(c, tx, subnet, request.Bool("force", false), request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted subnet '{subnet.Name}' ({subnet.Cidr}).");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> ReservedAsync(ApiRequest request) =>
        ApiResult.Json((await UsageAsync(request)).InUse().Select(AddressRangeDto.WithPurpose).ToList());

    private static async Task<ApiResult> UnreservedAsync(ApiRequest request) =>
        ApiResult.Json((await UsageAsync(request)).Free().Select(AddressRangeDto.WithoutPurpose).ToList());

    private static async Task<ApiResult> StatisticsAsync(ApiRequest request)
    {
        var statistics = SubnetStatistics.From(await UsageAsync(request));
        // An ordered dictionary, not a record: MAAS adds keys only when they are asked for.
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["num_available"] = statistics.NumAvailable,
            ["largest_available"] = statistics.LargestAvailable,
            ["num_unavailable"] = statistics.NumUnavailable,
            ["total_addresses"] = statistics.TotalAddresses,
            ["usage"] = statistics.Usage,
            ["usage_string"] = statistics.UsageString,
            ["available_string"] = statistics.AvailableString,
            ["first_address"] = statistics.FirstAddress?.ToString(),
            ["last_address"] = statistics.LastAddress?.ToString(),
            ["ip_version"] = statistics.IpVersion,
        };
        if (request.Bool("include_ranges", false))
            json["ranges"] = statistics.Ranges.Select(AddressRangeDto.WithPurpose).ToList();
        if (request.Bool("include_suggestions", false))
        {
            json["suggested_gateway"] = statistics.SuggestedGateway?.ToString();
            json["suggested_dynamic_range"] = statistics.SuggestedDynamicRange is { } range ? AddressRangeDto.WithPurpose(range) : null;
        }

        return ApiResult.Json(json);
    }

    private static Task<ApiResult> IpAddressesAsync(ApiRequest request)
    {
        var withUsername = request.Bool("with_username", true);
        var withSummary = request.Bool("with_summary", true) && request.Bool("with_node_summary", true);
        return request.Service<Database>().ReadAsync(
            async c =>
            {
                var subnet = await NetworkLookups.SubnetAsync(c, null, request.Path("id"), request.Aborted);
                var addresses = await SubnetStore.ListAddressesAsync(c, null, subnet.Id, request.Aborted);
                return ApiResult.Json(addresses.Select(a => new SubnetAddressDto(
                    a.Ip,
                    a.AllocType,
                    ApiJson.FormatDateTime(a.Created),
                    ApiJson.FormatDateTime(a.Updated),
                    withUsername ? a.Username : null,
                    withSummary && a.SystemId is not null
                        ? new NodeSummaryDto(a.SystemId, a.NodeType ?? 0, $"{a.Hostname}.{a.DomainName}", a.Hostname!, false, a.InterfaceName)
                        : null)).ToList());
            },
            request.Aborted);
    }

    private static Task<SubnetUsage> UsageAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var subnet = await NetworkLookups.SubnetAsync(c, null, request.Path("id"), request.Aborted);
                return new SubnetUsage(await SubnetStore.LoadUsageAsync(c, null, subnet, request.Aborted));
            },
            request.Aborted);
}
