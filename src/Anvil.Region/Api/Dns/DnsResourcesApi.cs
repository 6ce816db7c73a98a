using System.Globalization;
using Anvil.Data;
using Anvil.Data.Dns;
using Anvil.Data.Ipam;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Dns;

/// <summary>
/// MAAS's <c>dnsresources/</c> and <c>dnsresources/{id}/</c>: names with addresses (A/AAAA) and
/// other records. Listed IPs are linked as they are; an IP no address row holds becomes a
/// USER_RESERVED address of the caller.
/// </summary>
internal static class DnsResourcesApi
{
    public const string CnameConflict = "CNAME records for a name cannot coexist with other records.";

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("DNSResourcesHandler", "dnsresources/", "Manage DNS resources.")
            .Read(
                ListAsync,
                "List all DNS resources.\n\nOptionally only those of an fqdn, a domain, a name or a record type.",
                ApiParam.String("fqdn", "Only this fully qualified name."),
                ApiParam.String("domain", "Only names in this domain (id or name)."),
                ApiParam.String("name", "Only this name (in any domain)."),
                ApiParam.String("rrtype", "Only names with records of this type (A and AAAA: with addresses of that family)."),
                ApiParam.Bool("all", "Include the implicit records of nodes (Anvil has none yet, so this changes nothing)."))
            .Create(CreateAsync, "Create a DNS resource.\n\nA name with addresses; fqdn, or name and domain, names it.", ApiAccess.Admin, [.. FormParams(create: true)]);

        api.Handler("DNSResourceHandler", "dnsresources/{id}/", "Manage a DNS resource.")
            .Read(ReadAsync, "Read a DNS resource.\n\nWith its addresses and other records.", NotFound)
            .Update(UpdateAsync, "Update a DNS resource.\n\nAbsent fields keep their value; ip_addresses replaces the linked addresses.", ApiAccess.Admin, [NotFound, .. FormParams(create: false)])
            .Delete(
                DeleteAsync,
                "Delete a DNS resource.\n\nIts records go with it; its addresses stay.",
                ApiAccess.Admin,
                NotFound,
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such DNS resource.");

    private static ApiSpecItem[] FormParams(bool create) =>
    [
        ApiParam.String("fqdn", "The fully qualified name; or give name and domain."),
        ApiParam.String("name", "The name within the domain (@ for the domain itself)."),
        ApiParam.String("domain", "The domain (id or name); the default domain when absent."),
        ApiParam.Int("address_ttl", "TTL of the address records (empty: the domain's)."),
        ApiParam.String("ip_addresses", "IP addresses, separated by spaces." + (create ? "" : " Replaces the linked addresses.")),
        ApiError.BadRequest("A value is invalid, the name is taken, or addresses would sit beside a CNAME."),
        ApiError.Forbidden("The caller is not an admin."),
    ];

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var query = await ReadQueryAsync(request, c);
                var resources = query is null ? [] : await DnsResourceStore.ListAsync(c, null, query, request.Aborted);
                return ApiResult.Json(await RenderAsync(c, null, resources, request.Aborted));
            },
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
                var errors = new FieldErrors();
                var name = await DnsNames.ReadNameAsync(errors, request, c, tx);
                var ttl = DnsNames.ReadTtl(errors, request, "address_ttl", null);
                var ips = DnsNames.ParseAddresses(errors, "ip_addresses", request.Strings("ip_addresses"));
                errors.ThrowIfAny();
                var id = await DnsResourceStore.CreateAsync(c, tx, name!.Value.Name, name.Value.DomainId, ttl, request.Aborted);
                await DnsResourceStore.SetAddressesAsync(c, tx, id, ips, request.Caller.Id, request.Aborted);
                var resource = (await DnsResourceStore.FindAsync(c, tx, id, request.Aborted))!;
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created DNS resource '{resource.Fqdn}'.");
                return (await RenderAsync(c, tx, [resource], request.Aborted))[0];
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
                await DnsResourceStore.LockAsync(c, tx, current.Id, request.Aborted);
                var errors = new FieldErrors();
                var renames = request.Has("fqdn") || request.Has("name") || request.Has("domain");
                var name = renames ? await DnsNames.ReadNameAsync(errors, request, c, tx) : (current.Name, current.DomainId);
                var ttl = DnsNames.ReadTtl(errors, request, "address_ttl", current.AddressTtl);
                var ips = request.Has("ip_addresses") ? DnsNames.ParseAddresses(errors, "ip_addresses", request.Strings("ip_addresses")) : null;
                errors.ThrowIfAny();
                if (ips is { Length: > 0 } && (await DnsDataStore.ListByResourcesAsync(c, tx, [current.Id], request.Aborted)).Any(d => d.RrType == "CNAME"))
                    throw new ValidationException("ip_addresses", CnameConflict);
                await DnsResourceStore.UpdateAsync(c, tx, current.Id, name!.Value.Name, name.Value.DomainId, ttl, request.Aborted);
                if (ips is not null)
                    await DnsResourceStore.SetAddressesAsync(c, tx, current.Id, ips, request.Caller.Id, request.Aborted);
                var resource = (await DnsResourceStore.FindAsync(c, tx, current.Id, request.Aborted))!;
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated DNS resource '{resource.Fqdn}'.");
                return (await RenderAsync(c, tx, [resource], request.Aborted))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var resource = await FindAsync(c, tx, request);
                await DnsResourceStore.DeleteAsync(c, tx, resource.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted DNS resource '{resource.Fqdn}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    /// <summary>The listing filters; null when they name a domain or fqdn that does not exist (nothing matches).</summary>
    public static async Task<DnsQuery?> ReadQueryAsync(ApiRequest request, NpgsqlConnection c)
    {
        var rrtype = request.String("rrtype") is { Length: > 0 } t ? t.Trim() : null;
        if (request.String("fqdn") is { Length: > 0 } fqdn)
        {
            var split = await DnsNames.SplitFqdnAsync(c, null, fqdn.Trim().TrimEnd('.'), request.Aborted);
            return split is null ? null : new DnsQuery(split.Value.DomainId, split.Value.Name, rrtype);
        }

        long? domainId = null;
        if (request.String("domain") is { Length: > 0 } domainKey)
        {
            var domain = await DomainStore.FindAsync(c, null, domainKey, request.Aborted);
            if (domain is null)
                return null;
            domainId = domain.Id;
        }

        return new DnsQuery(domainId, request.String("name") is { Length: > 0 } n ? n.Trim() : null, rrtype);
    }

    private static async Task<DnsResourceRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request) =>
        (long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await DnsResourceStore.FindAsync(c, tx, id, request.Aborted) : null)
        ?? throw new NotFoundException("No DNSResource matches the given query.");

    private static async Task<List<DnsResourceDto>> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<DnsResourceRecord> resources, CancellationToken ct)
    {
        var addressIds = resources.SelectMany(r => r.AddressIds).Distinct().ToList();
        var addresses = addressIds.Count == 0
            ? new Dictionary<long, IpAddressRecord>()
            : (await IpAddressStore.ListAsync(c, tx, new IpAddressQuery { Ids = addressIds }, ct)).ToDictionary(a => a.Id);
        var data = (await DnsDataStore.ListByResourcesAsync(c, tx, [.. resources.Select(r => r.Id)], ct)).ToLookup(d => d.DnsResourceId);
        return resources.Select(r => new DnsResourceDto(
            r.Id,
            r.Fqdn,
            r.AddressTtl,
            r.AddressIds.Where(addresses.ContainsKey).Select(a => IpAddressDto.From(addresses[a])).ToList(),
            data[r.Id].Select(DnsResourceRecordDto.From).ToList(),
            ResourceUris.Item("dnsresources", r.Id))).ToList();
    }
}
