using System.Globalization;
using Anvil.Data;
using Anvil.Data.Dns;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Dns;

/// <summary>
/// MAAS's <c>dnsresourcerecords/</c> and <c>dnsresourcerecords/{id}/</c>: the non-address records
/// of DNS resources. Creating one creates its name when needed; deleting the last record of a
/// name without addresses deletes the name. A CNAME stands alone at its name.
/// </summary>
internal static class DnsResourceRecordsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("DNSResourceRecordsHandler", "dnsresourcerecords/", "Manage DNS resource records.")
            .Read(
                ListAsync,
                "List all DNS resource records.\n\nOptionally only those of an fqdn, a domain, a name or a record type.",
                ApiParam.String("fqdn", "Only this fully qualified name."),
                ApiParam.String("domain", "Only names in this domain (id or name)."),
                ApiParam.String("name", "Only this name (in any domain)."),
                ApiParam.String("rrtype", "Only records of this type."))
            .Create(
                CreateAsync,
                "Create a DNS resource record.\n\nfqdn, or name and domain, names it; rrdata is checked against rrtype.",
                ApiAccess.Admin,
                ApiParam.String("fqdn", "The fully qualified name; or give name and domain."),
                ApiParam.String("name", "The name within the domain (@ for the domain itself)."),
                ApiParam.String("domain", "The domain (id or name); the default domain when absent."),
                ApiParam.String("rrtype", $"The record type: {string.Join(", ", DnsRecordData.Types)}.", required: true),
                ApiParam.String("rrdata", "The record data, e.g. '10 mail.example.com' for MX.", required: true),
                ApiParam.Int("ttl", "TTL of the record (empty: the domain's)."),
                ApiError.BadRequest("A value is invalid, or a CNAME would share its name."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("DNSResourceRecordHandler", "dnsresourcerecords/{id}/", "Manage a DNS resource record.")
            .Read(ReadAsync, "Read a DNS resource record.\n\nIts name, type, data and TTL.", NotFound)
            .Update(
                UpdateAsync,
                "Update a DNS resource record.\n\nAbsent fields keep their value.",
                ApiAccess.Admin,
                ApiParam.String("rrtype", "The record type."),
                ApiParam.String("rrdata", "The record data."),
                ApiParam.Int("ttl", "TTL of the record (empty: the domain's)."),
                NotFound,
                ApiError.BadRequest("A value is invalid, or a CNAME would share its name."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a DNS resource record.\n\nA name left with no records and no addresses goes with it.",
                ApiAccess.Admin,
                NotFound,
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static ApiError NotFound => ApiError.NotFound("No such DNS resource record.");

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var query = await DnsResourcesApi.ReadQueryAsync(request, c);
                var records = query is null ? [] : await DnsDataStore.ListAsync(c, null, query, request.Aborted);
                return ApiResult.Json(records.Select(DnsResourceRecordDto.From).ToList());
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(async c => ApiResult.Json(DnsResourceRecordDto.From(await FindAsync(c, null, request))), request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var errors = new FieldErrors();
                var name = await DnsNames.ReadNameAsync(errors, request, c, tx);
                var (rrtype, rrdata) = ReadData(errors, request, null);
                var ttl = DnsNames.ReadTtl(errors, request, "ttl", null);
                if (rrtype == "SRV" && name is { } n && !IsServiceName(n.Name))
                    errors.Add(request.Has("fqdn") ? "fqdn" : "name", "An SRV record's name starts with _service._protocol, e.g. _ldap._tcp.");
                errors.ThrowIfAny();
                var resourceId = await DnsResourceStore.FindOrCreateAsync(c, tx, name!.Value.Name, name.Value.DomainId, request.Aborted);
                await DnsResourceStore.LockAsync(c, tx, resourceId, request.Aborted);
                await CheckCnameAsync(c, tx, resourceId, rrtype!, ignoreId: null, request.Aborted);
                var record = await DnsDataStore.CreateAsync(c, tx, resourceId, rrtype!, rrdata!, ttl, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created {record.RrType} record of '{record.Fqdn}'.");
                return DnsResourceRecordDto.From(record);
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
                await DnsResourceStore.LockAsync(c, tx, current.DnsResourceId, request.Aborted);
                var errors = new FieldErrors();
                var (rrtype, rrdata) = ReadData(errors, request, current);
                var ttl = DnsNames.ReadTtl(errors, request, "ttl", current.Ttl);
                if (rrtype == "SRV" && !IsServiceName(current.Name))
                    errors.Add("rrtype", "An SRV record's name starts with _service._protocol, e.g. _ldap._tcp.");
                errors.ThrowIfAny();
                await CheckCnameAsync(c, tx, current.DnsResourceId, rrtype!, current.Id, request.Aborted);
                var record = await DnsDataStore.UpdateAsync(c, tx, current.Id, rrtype!, rrdata!, ttl, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated {record.RrType} record of '{record.Fqdn}'.");
                return DnsResourceRecordDto.From(record);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var record = await FindAsync(c, tx, request);
                await DnsResourceStore.LockAsync(c, tx, record.DnsResourceId, request.Aborted);
                await DnsDataStore.DeleteAsync(c, tx, record.Id, request.Aborted);
                await DnsResourceStore.DeleteIfEmptyAsync(c, tx, record.DnsResourceId, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted {record.RrType} record of '{record.Fqdn}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static (string? Type, string? Data) ReadData(FieldErrors errors, ApiRequest request, DnsDataRecord? current)
    {
        var type = DnsRecordData.CheckType(errors, request.Has("rrtype") || current is null ? request.String("rrtype") : current.RrType);
        var data = request.Has("rrdata") || current is null ? request.String("rrdata") : current.RrData;
        return (type, type is null ? null : DnsRecordData.Check(errors, type, data));
    }

    /// <summary>A CNAME may not share its name with any other record or address (RFC 1034 §3.6.2).</summary>
    private static async Task CheckCnameAsync(NpgsqlConnection c, NpgsqlTransaction tx, long resourceId, string rrtype, long? ignoreId, CancellationToken ct)
    {
        var others = (await DnsDataStore.ListByResourcesAsync(c, tx, [resourceId], ct)).Where(d => d.Id != ignoreId).ToList();
        var resource = (await DnsResourceStore.FindAsync(c, tx, resourceId, ct))!;
        var conflict = rrtype == "CNAME"
            ? others.Count > 0 || resource.AddressIds.Length > 0
            : others.Any(d => d.RrType == "CNAME");
        if (conflict)
            throw new ValidationException("rrtype", DnsResourcesApi.CnameConflict);
    }

    private static bool IsServiceName(string name) => name.Split('.') is [var service, var protocol, ..] && service.StartsWith('_') && protocol.StartsWith('_');

    private static async Task<DnsDataRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, ApiRequest request) =>
        (long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await DnsDataStore.FindAsync(c, tx, id, request.Aborted) : null)
        ?? throw new NotFoundException("No DNSData matches the given query.");
}
