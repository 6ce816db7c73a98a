using Anvil.Data;
using Anvil.Domain.Allocation;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Devices;

/// <summary>
/// The devices resources (maas-api.md §3.6): <c>devices/</c> and <c>devices/{system_id}/</c>.
/// Devices are nodes of type 1 owned by whoever created them; everyone sees them, and their
/// owner or an admin changes them. The per-device actions are in <see cref="DeviceActions"/>.
/// </summary>
internal static class DevicesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("DevicesHandler", "devices/", "Manage devices.")
            .Read(ListAsync, "List devices.\nLists devices, optionally filtered by the same criteria as nodes.",
                Strings("hostname", "Only devices with these hostnames."),
                Strings("id", "Only devices with these system ids."),
                Strings("mac_address", "Only devices with these MAC addresses."),
                Strings("domain", "Only devices in these domains."),
                Strings("zone", "Only devices in these zones."),
                Strings("tags", "Only devices with all these tags."),
                Strings("owner", "Only devices owned by these users."))
            .Create(DeviceActions.CreateAsync, "Create a new device.\nThe device belongs to the user who creates it.",
                Strings("mac_addresses", "One or more MAC addresses for the device.", required: true),
                String("hostname", "A hostname; one is generated if omitted."),
                String("description", "A description of the device."),
                String("domain", "The domain of the device."),
                String("parent", "The system_id of the node this device sits on."),
                ApiError.BadRequest("A field is invalid."))
            .Get("is_registered", MachinesApi.IsRegisteredAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Post("set_zone", MachinesApi.SetZoneAsync, "Assign nodes to a zone.", ApiAccess.Admin,
                String("zone", "The zone name.", required: true),
                Strings("nodes", "The system_ids of the nodes to move.", required: true));

        api.Handler("DeviceHandler", "devices/{system_id}/", "Manage an individual device.")
            .Read(ReadAsync, "Read a device.\nReads a device with the given system_id.", ApiError.NotFound("No such device."))
            .Update(DeviceActions.UpdateAsync, "Update a device.\nThe device's owner or an admin may update it.",
                String("hostname", "The new hostname."),
                String("description", "The new description."),
                String("domain", "The domain name."),
                String("parent", "The system_id of the parent node; empty to clear."),
                String("zone", "The zone."),
                ApiError.NotFound("No such device."),
                ApiError.Forbidden("The caller neither owns the device nor is an admin."))
            .Delete(DeviceActions.DeleteAsync, "Delete a device.\nThe device's owner or an admin may delete it.",
                ApiError.NotFound("No such device."),
                ApiError.Forbidden("The caller neither owns the device nor is an admin."))
            .Post("restore_networking_configuration", DeviceActions.RestoreNetworkingAsync,
                "Reset a device's network options.\nRemoves its bonds, bridges and VLAN interfaces and the addresses assigned to its interfaces.")
            .Post("restore_default_configuration", DeviceActions.RestoreNetworkingAsync,
                "Reset a device's configuration to its initial state.\nFor a device this is its network configuration.")
            .Post("set_workload_annotations", DeviceActions.SetWorkloadAnnotationsAsync, "Set key=value data for the current owner.\nAn empty value deletes the key.",
                String("{key}", "Any key=value pair."))
            .Get("details", DeviceActions.DetailsAsync, "Get system details.\nReturns the probed details (lshw, lldp) as BSON.")
            .Get("power_parameters", DeviceActions.PowerParametersAsync, "Get power parameters (admin).");
    }

    private static async Task<ApiResult> ListAsync(ApiRequest r)
    {
        var constraints = await MachinesApi.ParseConstraintsAsync(r, ConstraintFormKind.Read);
        var devices = await DeviceReads.ListAsync(r.Service<Database>(), null, r.Aborted);
        return ApiResult.JsonUtf8(DeviceJson.Many(constraints.IsEmpty
            ? devices
            : devices.Where(d => ConstraintMatcher.Matches(constraints, MachineCandidates.From(d.Node)))));
    }

    private static async Task<ApiResult> ReadAsync(ApiRequest r) =>
        ApiResult.JsonUtf8(DeviceJson.One(await DeviceReads.GetAsync(r.Service<Database>(), r.Path("system_id"), r.Aborted)));
}
