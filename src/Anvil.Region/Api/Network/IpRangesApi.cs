using System.Globalization;
using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Data.Users;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Ipam;
using Anvil.Domain.Network;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network.Dto;
using Anvil.Region.Api.Resources;
using Anvil.Region.Api.Resources.Dto;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>ipranges/</c> and <c>ipranges/{id}/</c>. Dynamic ranges are for admins; anyone may
/// reserve a range, which they then own, and only owners and admins may change or delete a
/// range. Ranges are checked against their subnet (<see cref="IpRangeRules"/>) with the subnet
/// row locked, and the database's exclusion constraint backs the overlap check.
/// </summary>
internal static class IpRangesApi
{
    private const string DynamicForbidden = "Unable to create dynamic IP range. You don't have sufficient privileges.";
    private const string NotOwner = "Unable to modify IP range. You don't own the IP range.";

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("IPRangesHandler", "ipranges/", "Manage IP ranges.")
            .Read(ListAsync, "List all IP ranges.\n\nEvery IP range, by id.")
            .Create(
                CreateAsync,
                "Create an IP range.\n\nDynamic ranges are for admins; a reserved range belongs to the user who creates it.",
                ApiParam.String("type", "Type of the range: dynamic or reserved.", required: true),
                ApiParam.String("start_ip", "First address of the range.", required: true),
                ApiParam.String("end_ip", "Last address of the range.", required: true),
                ApiParam.String("subnet", "The subnet of the range (id, CIDR or specifier).", required: true),
                ApiParam.String("comment", "A description of the range."),
                ApiError.BadRequest("A value is invalid, the range is outside its subnet or overlaps another."),
                ApiError.Forbidden("A non-admin asked for a dynamic range."));

        api.Handler("IPRangeHandler", "ipranges/{id}/", "Manage an IP range.")
            .Read(ReadAsync, "Read an IP range.\n\nThe range with its subnet and owner.", ApiError.NotFound("No such IP range."))
            .Update(
                UpdateAsync,
                "Update an IP range.\n\nOnly its owner or an admin may change it.",
                ApiParam.String("start_ip", "First address of the range."),
                ApiParam.String("end_ip", "Last address of the range."),
                ApiParam.String("type", "Type of the range: dynamic (admins only) or reserved."),
                ApiParam.String("comment", "A description of the range."),
                ApiError.NotFound("No such IP range."),
                ApiError.BadRequest("A value is invalid, the range is outside its subnet or overlaps another."),
                ApiError.Forbidden("The caller neither owns the range nor is an admin."))
            .Delete(
                DeleteAsync,
                "Delete an IP range.\n\nOnly its owner or an admin may delete it.",
                ApiError.NotFound("No such IP range."),
                ApiError.Forbidden("The caller neither owns the range nor is an admin."));
    }

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var ranges = await IpRangeStore.ListAsync(c, null, request.Aborted);
                return ApiResult.Json(await RenderAsync(request, c, null, ranges));
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json((await RenderAsync(request, c, null, [await FindAsync(request, c, null)]))[0]),
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var type = request.String("type") ?? "";
        if (type == IpRangeRules.Dynamic && !request.Caller.IsSuperuser)
            throw new ForbiddenException(DynamicForbidden);
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var errors = new FieldErrors();
                CheckType(errors, type);
                var start = ReadAddress(errors, request, "start_ip", null);
                var end = ReadAddress(errors, request, "end_ip", null);
                var subnet = await NetworkLookups.SubnetFieldAsync(c, tx, request.RequiredString("subnet"), request.Aborted);
                if (subnet is null)
                    errors.Add("subnet", NetworkLookups.InvalidChoice);
                var comment = ReadComment(errors, request, "");
                errors.ThrowIfAny();

                await SubnetStore.LockAsync(c, tx, subnet!.Id, request.Aborted);
                var usage = new SubnetUsage(await SubnetStore.LoadUsageAsync(c, tx, subnet, request.Aborted));
                IpRangeRules.Validate(usage, type, start!.Value, end!.Value, rangeId: null);
                var range = await IpRangeStore.CreateAsync(c, tx, subnet.Id, type, start.Value.ToString(), end.Value.ToString(), comment, request.Caller.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created {type} IP range {range.StartIp}-{range.EndIp} on subnet '{subnet.Name}'.");
                return (await RenderAsync(request, c, tx, [range]))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await FindAsync(request, c, tx);
                CheckOwner(request, current);
                var type = request.String("type") is { Length: > 0 } t ? t : current.Type;
                if (type == IpRangeRules.Dynamic && current.Type != IpRangeRules.Dynamic && !request.Caller.IsSuperuser)
                    throw new ForbiddenException(DynamicForbidden);
                var errors = new FieldErrors();
                CheckType(errors, type);
                var start = ReadAddress(errors, request, "start_ip", current.StartIp);
                var end = ReadAddress(errors, request, "end_ip", current.EndIp);
                var comment = ReadComment(errors, request, current.Comment);
                errors.ThrowIfAny();

                await SubnetStore.LockAsync(c, tx, current.SubnetId, request.Aborted);
                var subnet = (await SubnetStore.FindAsync(c, tx, current.SubnetId, request.Aborted))!;
                var usage = new SubnetUsage(await SubnetStore.LoadUsageAsync(c, tx, subnet, request.Aborted));
                IpRangeRules.Validate(usage, type, start!.Value, end!.Value, current.Id);
                var range = await IpRangeStore.UpdateAsync(c, tx, current.Id, type, start.Value.ToString(), end.Value.ToString(), comment, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated {type} IP range {range.StartIp}-{range.EndIp} on subnet '{subnet.Name}'.");
                return (await RenderAsync(request, c, tx, [range]))[0];
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var range = await FindAsync(request, c, tx);
                CheckOwner(request, range);
                await IpRangeStore.DeleteAsync(c, tx, range.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted {range.Type} IP range {range.StartIp}-{range.EndIp}.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<IpRangeRecord> FindAsync(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction? tx) =>
        (long.TryParse(request.Path("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await IpRangeStore.FindAsync(c, tx, id, request.Aborted) : null)
        ?? throw new NotFoundException("No IPRange matches the given query.");

    private static void CheckOwner(ApiRequest request, IpRangeRecord range)
    {
        if (!request.Caller.IsSuperuser && range.UserId != request.Caller.Id)
            throw new ForbiddenException(NotOwner);
    }

    private static void CheckType(FieldErrors errors, string type)
    {
        if (type.Length == 0)
            errors.Add("type", "This field is required.");
        else if (!IpRangeRules.IsKnownType(type))
            errors.Add("type", $"Select a valid choice. {type} is not one of the available choices.");
    }

    private static IpAddress? ReadAddress(FieldErrors errors, ApiRequest request, string field, string? current)
    {
        var text = request.Has(field) ? request.String(field) : current;
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "This field is required.");
            return null;
        }

        if (IpAddress.TryParseDroppingZone(text, out var address))
            return address;
        errors.Add(field, "Enter a valid IPv4 or IPv6 address.");
        return null;
    }

    private static string ReadComment(FieldErrors errors, ApiRequest request, string current)
    {
        var comment = request.String("comment") ?? current;
        if (comment.Length > 255)
            errors.Add("comment", $"Ensure this value has at most 255 characters (it has {comment.Length}).");
        return comment;
    }

    private static async Task<List<IpRangeDto>> RenderAsync(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<IpRangeRecord> ranges)
    {
        var renderer = await NetworkRenderer.LoadAsync(c, tx, request.Aborted);
        var subnets = (await SubnetStore.ListAsync(c, tx, request.Aborted)).ToDictionary(s => s.Id);
        var users = (await request.Service<UserStore>().ListAsync(request.Aborted)).ToDictionary(u => u.Id);
        return ranges.Select(r => new IpRangeDto(
            r.Id,
            r.Type,
            r.StartIp,
            r.EndIp,
            r.Comment,
            r.UserId is { } userId && users.TryGetValue(userId, out var user) ? UserDto.From(user) : null,
            renderer.Subnet(subnets[r.SubnetId]),
            ResourceUris.Item("ipranges", r.Id))).ToList();
    }
}
