using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network.Dto;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>spaces/</c> and <c>spaces/{id}/</c>. VLANs in no space belong to the pseudo-space
/// <c>undefined</c> (id -1), which listings include while such VLANs exist (Juju expects it).
/// </summary>
internal static class SpacesApi
{
    private const long UndefinedId = -1;

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("SpacesHandler", "spaces/", "Manage spaces.")
            .Read(ListAsync, "List spaces.\n\nEvery space with its VLANs and subnets, plus 'undefined' while some VLAN has no space.")
            .Create(
                CreateAsync,
                "Create a space.\n\nA named group of VLANs.",
                ApiAccess.Admin,
                ApiParam.String("name", "Name of the space.", required: true),
                ApiParam.String("description", "Description of the space."),
                ApiError.BadRequest("The name is invalid, reserved or taken."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("SpaceHandler", "spaces/{id}/", "Manage a space.")
            .Read(ReadAsync, "Read a space.\n\nBy id or name; -1 or 'undefined' is the pseudo-space of VLANs in no space.", ApiError.NotFound("No such space."))
            .Update(
                UpdateAsync,
                "Update a space.\n\nRename it or change its description.",
                ApiAccess.Admin,
                ApiParam.String("name", "Name of the space.", required: true),
                ApiParam.String("description", "Description of the space."),
                ApiError.NotFound("No such space."),
                ApiError.BadRequest("The name is invalid, reserved or taken, or the space is 'undefined'."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a space.\n\nIts VLANs are left in no space.",
                ApiAccess.Admin,
                ApiError.NotFound("No such space."),
                ApiError.BadRequest("The space is 'undefined'."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var spaces = new List<SpaceDto>();
                foreach (var space in await SpaceStore.ListAsync(c, null, request.Aborted))
                    spaces.Add(await RenderAsync(c, null, space, request.Aborted));
                if (await SpaceStore.AnyVlanWithoutSpaceAsync(c, null, request.Aborted))
                    spaces.Add(await RenderAsync(c, null, null, request.Aborted));
                return ApiResult.Json(spaces);
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var key = request.Path("id");
                var space = IsUndefined(key) ? null : await FindAsync(c, null, key, request.Aborted);
                return ApiResult.Json(await RenderAsync(c, null, space, request.Aborted));
            },
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var name = CheckName(request.RequiredString("name"), id: null);
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var space = await SpaceStore.CreateAsync(c, tx, name, request.String("description") ?? "", request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created space '{space.Name}'.");
                return await RenderAsync(c, tx, space, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await FindRealAsync(c, tx, request.Path("id"), request.Aborted);
                var name = CheckName(request.RequiredString("name"), current.Id);
                var space = await SpaceStore.UpdateAsync(c, tx, current.Id, name, request.String("description") ?? current.Description, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated space '{space.Name}'.");
                return await RenderAsync(c, tx, space, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var space = await FindRealAsync(c, tx, request.Path("id"), request.Aborted);
                await SpaceStore.DeleteAsync(c, tx, space.Id, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted space '{space.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static bool IsUndefined(string key) => key is NetworkRenderer.UndefinedSpace or "-1";

    private static async Task<SpaceRecord> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        await SpaceStore.FindAsync(c, tx, key, ct) ?? throw new NotFoundException("No Space matches the given query.");

    private static Task<SpaceRecord> FindRealAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        IsUndefined(key)
            ? throw new BadRequestException("The 'undefined' space is the absence of a space; it cannot be changed.")
            : FindAsync(c, tx, key, ct);

    private static string CheckName(string name, long? id)
    {
        var errors = new FieldErrors();
        NetworkNames.CheckSpace(errors, name, id);
        errors.ThrowIfAny();
        return name;
    }

    /// <summary>A space, or the 'undefined' pseudo-space when <paramref name="space"/> is null.</summary>
    private static async Task<SpaceDto> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, SpaceRecord? space, CancellationToken ct)
    {
        var renderer = await NetworkRenderer.LoadAsync(c, tx, ct);
        var vlans = await VlanStore.ListBySpaceAsync(c, tx, space?.Id, ct);
        var subnets = await SubnetStore.ListByVlansAsync(c, tx, [.. vlans.Select(v => v.Id)], ct);
        var id = space?.Id ?? UndefinedId;
        return new SpaceDto(
            ResourceUris.Item("spaces", id),
            id,
            space?.Name ?? NetworkRenderer.UndefinedSpace,
            vlans.Select(renderer.Vlan).ToList(),
            subnets.Select(renderer.Subnet).ToList(),
            space?.Description ?? "");
    }
}
