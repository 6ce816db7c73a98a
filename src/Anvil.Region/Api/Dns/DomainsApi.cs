using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Data.Dns;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;

namespace Anvil.Region.Api.Dns;

/// <summary>
/// MAAS's <c>domains/</c> and <c>domains/{id}/</c>. One domain is the default (new nodes go
/// there); it cannot be deleted, nor can a domain that still holds nodes or DNS resources.
/// </summary>
internal static class DomainsApi
{
    /// <summary>Where <c>set_serial</c> keeps the zone serial the DNS server continues from.</summary>
    public const string SerialConfigName = "dns_serial";

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("DomainsHandler", "domains/", "Manage domains.")
            .Read(ListAsync, "List all domains.\n\nEvery domain, by id.")
            .Create(CreateAsync, "Create a domain.\n\nA DNS zone Anvil serves (authoritative) or forwards.", ApiAccess.Admin, [.. FormParams(create: true)])
            .Post(
                "set_serial",
                SetSerialAsync,
                "Set the SOA serial.\n\nThe serial the next zone update continues from.",
                ApiAccess.Admin,
                ApiParam.String("serial", "The serial, a whole number from 1 to 4294967295.", required: true),
                ApiError.BadRequest("The serial is missing or out of range."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("DomainHandler", "domains/{id}/", "Manage a domain.")
            .Read(ReadAsync, "Read a domain.\n\nBy id (or name).", NotFound)
            .Update(UpdateAsync, "Update a domain.\n\nAbsent fields keep their value.", ApiAccess.Admin, [NotFound, .. FormParams(create: false)])
            .Delete(
                DeleteAsync,
                "Delete a domain.\n\nRefused for the default domain and for domains that hold nodes or DNS resources.",
                ApiAccess.Admin,
                NotFound,
                ApiError.BadRequest("The domain is the default, or holds nodes or DNS resources."),
                ApiError.Forbidden("The caller is not an admin."))
            .Post(
                "set_default",
                SetDefaultAsync,
                "Set the default domain.\n\nNew nodes are placed in the default domain; it is always authoritative.",
                ApiAccess.Admin,
                NotFound,
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such domain.");

    private static ApiSpecItem[] FormParams(bool create) =>
    [
        ApiParam.String("name", "Name of the domain.", required: create),
        ApiParam.Bool("authoritative", "Anvil serves the zone (default true); false forwards it to forward_dns_servers."),
        ApiParam.Int("ttl", "Default TTL of the domain's records, 1 to 604800 (empty: the region default)."),
        ApiParam.Strings("forward_dns_servers", "Servers that answer for a non-authoritative domain, separated by commas or spaces."),
        ApiError.BadRequest("A value is invalid or the name is taken."),
        ApiError.Forbidden("The caller is not an admin."),
    ];

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json((await DomainStore.ListAsync(c, null, request.Aborted)).Select(DomainDto.From).ToList()),
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json(DomainDto.From(await DnsNames.DomainAsync(c, null, request.Path("id"), request.Aborted))),
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var values = ReadForm(request, current: null);
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var domain = await DomainStore.CreateAsync(c, tx, values, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created domain '{domain.Name}'.");
                return DomainDto.From(domain);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await DnsNames.DomainAsync(c, tx, request.Path("id"), request.Aborted);
                await DomainStore.LockAsync(c, tx, current.Id, request.Aborted);
                var domain = await DomainStore.UpdateAsync(c, tx, current.Id, ReadForm(request, current), request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated domain '{domain.Name}'.");
                return DomainDto.From(domain);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var domain = await DnsNames.DomainAsync(c, tx, request.Path("id"), request.Aborted);
                await DomainStore.LockAsync(c, tx, domain.Id, request.Aborted);
                if (domain.IsDefault)
                    throw new BadRequestException("This domain is the default domain, it cannot be deleted.");
                var (nodes, resources) = await DomainStore.UsageAsync(c, tx, domain.Id, request.Aborted);
                if (nodes > 0 || resources > 0)
                    throw new BadRequestException($"Domain '{domain.Name}' still holds {nodes} node(s) and {resources} DNS resource(s); move or delete them first.");
                await DomainStore.DeleteAsync(c, tx, domain.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted domain '{domain.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<ApiResult> SetDefaultAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var domain = await DnsNames.DomainAsync(c, tx, request.Path("id"), request.Aborted);
                await DomainStore.SetDefaultAsync(c, tx, domain.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Set domain '{domain.Name}' as the default.");
                return DomainDto.From((await DomainStore.FindAsync(c, tx, domain.Id, request.Aborted))!);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> SetSerialAsync(ApiRequest request)
    {
        var text = request.RequiredString("serial").Trim();
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var serial) || serial is < 1 or > uint.MaxValue)
            throw new ValidationException("serial", $"Ensure this value is between 1 and {uint.MaxValue}.");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await ConfigStore.SetAsync(c, tx, SerialConfigName, JsonValue.Create(serial), request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Set the DNS serial to {serial}.");
            },
            request.Aborted);
        return ApiResult.Ok;
    }

    private static DomainValues ReadForm(ApiRequest request, DomainRecord? current)
    {
        var errors = new FieldErrors();
        var name = request.Has("name") ? request.String("name")?.Trim() ?? "" : current?.Name ?? "";
        if (name.Length == 0)
            errors.Add("name", "This field is required.");
        else if (!DnsNames.IsDomainName(name))
            errors.Add("name", $"Invalid domain name: {name}.");
        bool authoritative = current?.Authoritative ?? true;
        errors.Try(() => authoritative = request.Bool("authoritative") ?? authoritative);
        var ttl = DnsNames.ReadTtl(errors, request, "ttl", current?.Ttl, min: 1);
        var forwarders = request.Has("forward_dns_servers")
            ? DnsNames.ParseAddresses(errors, "forward_dns_servers", request.Strings("forward_dns_servers"))
            : current?.ForwardDnsServers ?? [];
        if (authoritative && forwarders.Length > 0)
            errors.Add("forward_dns_servers", "Only a non-authoritative domain is forwarded; set authoritative=false.");
        if (!authoritative && current?.IsDefault == true)
            errors.Add("authoritative", "The default domain must be authoritative.");
        errors.ThrowIfAny();
        return new DomainValues(name, authoritative, ttl, forwarders);
    }
}
