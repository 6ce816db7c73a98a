using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network.Dto;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>MAAS's <c>fabrics/</c> and <c>fabrics/{id}/</c>: fabrics with their VLANs.</summary>
internal static class FabricsApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("FabricsHandler", "fabrics/", "Manage fabrics.")
            .Read(ListAsync, "List fabrics.\n\nEvery fabric with its VLANs, by id.")
            .Create(
                CreateAsync,
                "Create a fabric.\n\nThe fabric gets an untagged VLAN (vid 0), and the name fabric-<id> when none is given.",
                ApiAccess.Admin,
                ApiParam.String("name", "Name of the fabric."),
                ApiParam.String("description", "Description of the fabric."),
                ApiParam.String("class_type", "Class type of the fabric."),
                ApiError.BadRequest("The name is invalid, reserved or taken."),
                ApiError.Forbidden("The caller is not an admin."));

        api.Handler("FabricHandler", "fabrics/{id}/", "Manage a fabric.")
            .Read(ReadAsync, "Read a fabric.\n\nThe fabric with the given id (or name) and its VLANs.", ApiError.NotFound("No such fabric."))
            .Update(
                UpdateAsync,
                "Update a fabric.\n\nChange its name, description or class type.",
                ApiAccess.Admin,
                ApiParam.String("name", "Name of the fabric."),
                ApiParam.String("description", "Description of the fabric."),
                ApiParam.String("class_type", "Class type of the fabric."),
                ApiError.NotFound("No such fabric."),
                ApiError.BadRequest("The name is invalid, reserved or taken."),
                ApiError.Forbidden("The caller is not an admin."))
            .Delete(
                DeleteAsync,
                "Delete a fabric.\n\nIts VLANs go with it. The default fabric, and fabrics that still hold subnets or interfaces, cannot be deleted.",
                ApiAccess.Admin,
                ApiError.NotFound("No such fabric."),
                ApiError.BadRequest("The fabric is the default one, or subnets or interfaces still use it."),
                ApiError.Forbidden("The caller is not an admin."));
    }

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var renderer = await NetworkRenderer.LoadAsync(c, null, request.Aborted);
                var vlans = (await VlanStore.ListAsync(c, null, request.Aborted)).ToLookup(v => v.FabricId);
                var fabrics = await FabricStore.ListAsync(c, null, request.Aborted);
                return ApiResult.Json(fabrics.Select(f => Render(f, vlans[f.Id], renderer)).ToList());
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c => ApiResult.Json(await RenderAsync(c, null, await NetworkLookups.FabricAsync(c, null, request.Path("id"), request.Aborted), request.Aborted)),
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var name = request.String("name") is { Length: > 0 } n ? n : null;
        if (name is not null)
            NetworkNames.CheckFabric(errors, name, id: null);
        errors.ThrowIfAny();
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var fabric = await FabricStore.CreateAsync(c, tx, name, request.String("description") ?? "", EmptyAsNull(request.String("class_type")), request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created fabric '{fabric.Name}'.");
                return await RenderAsync(c, tx, fabric, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await NetworkLookups.FabricAsync(c, tx, request.Path("id"), request.Aborted);
                var errors = new FieldErrors();
                // An empty name gives the fabric back its default name, as in MAAS.
                var name = request.Has("name") ? request.String("name") is { Length: > 0 } n ? n : $"fabric-{current.Id}" : current.Name;
                NetworkNames.CheckFabric(errors, name, current.Id);
                errors.ThrowIfAny();
                var classType = request.Has("class_type") ? EmptyAsNull(request.String("class_type")) : current.ClassType;
                var updated = await FabricStore.UpdateAsync(c, tx, current.Id, name, request.String("description") ?? current.Description, classType, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated fabric '{updated.Name}'.");
                return await RenderAsync(c, tx, updated, request.Aborted);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var fabric = await NetworkLookups.FabricAsync(c, tx, request.Path("id"), request.Aborted);
                await FabricStore.DeleteAsync(c, tx, fabric, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted fabric '{fabric.Name}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static async Task<FabricDto> RenderAsync(NpgsqlConnection c, NpgsqlTransaction? tx, FabricRecord fabric, CancellationToken ct)
    {
        var renderer = await NetworkRenderer.LoadAsync(c, tx, ct);
        return Render(fabric, await VlanStore.ListByFabricAsync(c, tx, fabric.Id, ct), renderer);
    }

    private static FabricDto Render(FabricRecord fabric, IEnumerable<VlanRecord> vlans, NetworkRenderer renderer) =>
        new(fabric.Id, fabric.Name, fabric.ClassType, vlans.Select(renderer.Vlan).ToList(), ResourceUris.Item("fabrics", fabric.Id));

    private static string? EmptyAsNull(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
