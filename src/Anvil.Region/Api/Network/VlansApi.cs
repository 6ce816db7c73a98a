using Anvil.Data;
using Anvil.Data.Network;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>fabrics/{fabric_id}/vlans/</c> and the VLAN item, which MAAS serves at both
/// <c>fabrics/{fabric_id}/vlans/{vid}/</c> (described, what the CLI uses) and
/// <c>vlans/{vlan_id}/</c> (the objects' <c>resource_uri</c>, which gomaasapi follows).
/// </summary>
internal static class VlansApi
{
    private delegate Task<VlanRecord> Resolve(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction? tx);

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("VlansHandler", "fabrics/{fabric_id}/vlans/", "Manage VLANs on a fabric.")
            .Read(ListAsync, "List VLANs.\n\nThe VLANs of the fabric, by id.", ApiError.NotFound("No such fabric."))
            .Create(
                CreateAsync,
                "Create a VLAN.\n\nA VLAN with the given vid on the fabric.",
                ApiAccess.Admin,
                ApiParam.Int("vid", "VLAN tag (0-4094).", required: true),
                ApiParam.String("name", "Name of the VLAN."),
                ApiParam.String("description", "Description of the VLAN."),
                ApiParam.Int("mtu", "MTU of the VLAN (552-65535, default 1500)."),
                ApiParam.String("space", "Space of the VLAN (name or id; 'undefined' for none)."),
                ApiError.NotFound("No such fabric."),
                ApiError.BadRequest("A value is invalid, or the fabric already has a VLAN with this vid."),
                ApiError.Forbidden("The caller is not an admin."));

        DeclareItem(api.Handler("VlanHandler", "fabrics/{fabric_id}/vlans/{vid}/", "Manage a VLAN on a fabric."), ByFabricAndVid);
        DeclareItem(api.Handler("VlanIdHandler", "vlans/{vlan_id}/", "Manage a VLAN by id.").Hidden(), ById);
    }

    private static void DeclareItem(ApiHandlerBuilder handler, Resolve resolve) => handler
        .Read(request => ReadAsync(request, resolve), "Read a VLAN.\n\nThe VLAN with its fabric, space and rack controllers.", ApiError.NotFound("No such VLAN."))
        .Update(
            request => UpdateAsync(request, resolve),
            """
            Update a VLAN.

            DHCP can be turned on only with a primary rack controller and a dynamic IP range on one
            of the VLAN's subnets; turning it on clears the relay VLAN.
            """,
            ApiAccess.Admin,
            ApiParam.String("name", "Name of the VLAN."),
            ApiParam.String("description", "Description of the VLAN."),
            ApiParam.Int("vid", "VLAN tag (0-4094)."),
            ApiParam.Int("mtu", "MTU of the VLAN (552-65535)."),
            ApiParam.Bool("dhcp_on", "Whether MAAS serves DHCP on the VLAN."),
            ApiParam.String("primary_rack", "system_id of the primary rack controller ('' for none)."),
            ApiParam.String("secondary_rack", "system_id of the secondary rack controller ('' for none)."),
            ApiParam.String("relay_vlan", "id of the VLAN whose DHCP server relays to this one ('' for none)."),
            ApiParam.String("space", "Space of the VLAN (name or id; 'undefined' for none)."),
            ApiError.NotFound("No such VLAN."),
            ApiError.BadRequest("A value is invalid."),
            ApiError.Forbidden("The caller is not an admin."))
        .Delete(
            request => DeleteAsync(request, resolve),
            "Delete a VLAN.\n\nThe fabric's default VLAN, and VLANs that still hold subnets, cannot be deleted.",
            ApiAccess.Admin,
            ApiError.NotFound("No such VLAN."),
            ApiError.BadRequest("The VLAN is its fabric's default VLAN or still holds subnets."),
            ApiError.Forbidden("The caller is not an admin."));

    private static Task<VlanRecord> ByFabricAndVid(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction? tx) =>
        NetworkLookups.VlanAsync(c, tx, request.Path("fabric_id"), request.Path("vid"), request.Aborted);

    private static Task<VlanRecord> ById(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction? tx) =>
        NetworkLookups.VlanAsync(c, tx, request.Path("vlan_id"), request.Aborted);

    private static Task<ApiResult> ListAsync(ApiRequest request) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var fabric = await NetworkLookups.FabricAsync(c, null, request.Path("fabric_id"), request.Aborted);
                var renderer = await NetworkRenderer.LoadAsync(c, null, request.Aborted);
                return ApiResult.Json((await VlanStore.ListByFabricAsync(c, null, fabric.Id, request.Aborted)).Select(renderer.Vlan).ToList());
            },
            request.Aborted);

    private static Task<ApiResult> ReadAsync(ApiRequest request, Resolve resolve) =>
        request.Service<Database>().ReadAsync(
            async c =>
            {
                var vlan = await resolve(request, c, null);
                return ApiResult.Json((await NetworkRenderer.LoadAsync(c, null, request.Aborted)).Vlan(vlan));
            },
            request.Aborted);

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var fabric = await NetworkLookups.FabricAsync(c, tx, request.Path("fabric_id"), request.Aborted);
                var errors = new FieldErrors();
                var vid = CheckVid(errors, request.Int("vid"));
                var name = Name(errors, request, current: null);
                var mtu = CheckMtu(errors, request.Int("mtu") ?? 1500);
                var spaceId = await SpaceAsync(errors, request, c, tx, current: null);
                errors.ThrowIfAny();
                var vlan = await VlanStore.CreateAsync(c, tx, fabric.Id, vid, name, request.String("description") ?? "", mtu, spaceId, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Created VLAN {vlan.Vid} on fabric '{fabric.Name}'.");
                return (await NetworkRenderer.LoadAsync(c, tx, request.Aborted)).Vlan(vlan);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request, Resolve resolve)
    {
        var dto = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var current = await resolve(request, c, tx);
                var changes = await VlanUpdate.ReadAsync(request, c, tx, current);
                var updated = await VlanStore.UpdateAsync(c, tx, current.Id, changes, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Updated VLAN {updated.Vid} on fabric '{updated.FabricName}'.");
                return (await NetworkRenderer.LoadAsync(c, tx, request.Aborted)).Vlan(updated);
            },
            request.Aborted);
        return ApiResult.Json(dto);
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request, Resolve resolve)
    {
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var vlan = await resolve(request, c, tx);
                await VlanStore.DeleteAsync(c, tx, vlan, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.NETWORKING, $"Deleted VLAN {vlan.Vid} on fabric '{vlan.FabricName}'.");
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    internal static int CheckVid(FieldErrors errors, int? vid)
    {
        if (vid is null)
        {
            errors.Add("vid", "This field is required.");
            return 0;
        }

        if (vid is < 0 or > 4094)
            errors.Add("vid", "VID must be between 0 and 4094.");
        return vid.Value;
    }

    internal static int CheckMtu(FieldErrors errors, int mtu)
    {
        if (mtu is < 552 or > 65535)
            errors.Add("mtu", "MTU must be between 552 and 65535.");
        return mtu;
    }

    /// <summary>The name to store: the given one (empty clears it) or the current one.</summary>
    internal static string? Name(FieldErrors errors, ApiRequest request, VlanRecord? current)
    {
        if (!request.Has("name"))
            return current?.Name;
        var name = request.String("name");
        if (string.IsNullOrEmpty(name))
            return null;
        NetworkNames.CheckVlan(errors, name);
        return name;
    }

    /// <summary>The space to store: <c>undefined</c> or empty clears it; otherwise a space id or name.</summary>
    internal static async Task<long?> SpaceAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, VlanRecord? current)
    {
        if (!request.Has("space"))
            return current?.SpaceId;
        var key = request.String("space");
        if (string.IsNullOrEmpty(key) || key == NetworkRenderer.UndefinedSpace || key == "-1")
            return null;
        var space = await SpaceStore.FindAsync(c, tx, key, request.Aborted);
        if (space is null)
            errors.Add("space", NetworkLookups.InvalidChoice);
        return space?.Id;
    }
}
