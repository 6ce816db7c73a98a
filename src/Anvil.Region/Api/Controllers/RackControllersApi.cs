using Anvil.Data.Controllers;
using Anvil.Domain.Power;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Anvil.Region.Power;
using Anvil.Region.Racks;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Controllers;

/// <summary>
/// The rack controller resources (maas-api.md §3.7): <c>rackcontrollers/</c> and
/// <c>rackcontrollers/{system_id}/</c>. Racks are nodes of type 2, and region+rack controllers
/// (type 4); they register themselves over the link. Everyone may read them; changes are for admins.
/// </summary>
internal static class RackControllersApi
{
    private const ControllerRole Role = ControllerRole.Rack;

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("RackControllersHandler", "rackcontrollers/", "Manage the collection of all rack controllers in MAAS.")
            .Read(r => ControllerActions.ListAsync(r, Role), "List rack controllers.\nLists rack controllers, optionally filtered by the same criteria as nodes.", ControllerFilters.Read())
            .Get("describe_power_types", DescribePowerTypesAsync, "Get power types.\nReturns the power drivers the region can use, with their parameters.", ApiAccess.Admin)
            .Get("power_parameters", r => ControllerActions.PowerParametersManyAsync(r, Role), "Get power parameters (admin).", ApiAccess.Admin,
                Strings("id", "System ids to restrict the result to."))
            .Get("is_registered", MachinesApi.IsRegisteredAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Post("set_zone", MachinesApi.SetZoneAsync, "Assign nodes to a zone.", ApiAccess.Admin,
                String("zone", "The zone name.", required: true),
                Strings("nodes", "The system_ids of the nodes to move.", required: true));

        api.Handler("RackControllerHandler", "rackcontrollers/{system_id}/", "Manage an individual rack controller.")
            .Read(r => ControllerActions.ReadAsync(r, Role), "Read a rack controller.", ApiError.NotFound("No such rack controller."))
            .Update(r => ControllerActions.UpdateAsync(r, Role), "Update a rack controller (admin).", ApiAccess.Admin,
                String("description", "The new description."),
                String("power_type", "The power type (e.g. manual)."),
                String("power_parameters_{param}", "Power parameters, one field per parameter."),
                Bool("power_parameters_skip_check", "Skip validation of the power parameters."),
                String("zone", "The zone."),
                String("domain", "The domain."),
                ApiError.NotFound("No such rack controller."))
            .Delete(r => ControllerActions.DeleteAsync(r, Role), "Delete a rack controller (admin).\nA region+rack controller becomes a region controller.", ApiAccess.Admin,
                Bool("force", "Delete even if it is the only rack serving DHCP on a VLAN; DHCP is then turned off there."),
                ApiError.NotFound("No such rack controller."),
                ApiError.BadRequest("It is the only rack controller serving DHCP on a VLAN and force was not given."))
            .Get("list_boot_images", ListBootImagesAsync, "List the boot images on a rack controller (admin).", ApiAccess.Admin)
            .Get("power_parameters", r => ControllerActions.PowerParametersAsync(r, Role), "Get power parameters (admin).", ApiAccess.Admin);
    }

    /// <summary>What the rack reported holding (Api/Images/RackBootImagesApi.cs).</summary>
    private static async Task<ApiResult> ListBootImagesAsync(ApiRequest r)
    {
        var rack = await ControllerActions.GetAsync(r, Role);
        var connected = r.Service<IRackConnectionState>().IsConnected(rack.Node.Id, rack.LastSeen);
        return await Images.RackBootImagesApi.ListAsync(r, rack.Node.Id, connected);
    }

    /// <summary>The driver description objects of maas-api.md §10, from the drivers' one schema (Domain/Power/PowerDrivers.cs).</summary>
    private static Task<ApiResult> DescribePowerTypesAsync(ApiRequest r)
    {
        var power = r.Service<IPowerService>();
        var drivers = power.PowerTypes.Where(t => t.Length > 0).Order(StringComparer.Ordinal).Select(name =>
        {
            var description = PowerDrivers.All.GetValueOrDefault(name) ?? new PowerDriverDescription(name, name, []);
            return new Dictionary<string, object>
            {
                ["driver_type"] = "power",
                ["name"] = name,
                ["description"] = description.Description,
                ["chassis"] = false,
                ["can_probe"] = false,
                ["can_set_boot_order"] = description.CanSetBootOrder,
                ["fields"] = description.Fields.Select(Field).ToList(),
                ["queryable"] = power.CanQuery(name),
                ["missing_packages"] = Array.Empty<string>(),
            };
        });
        return Task.FromResult(ApiResult.Json(drivers.ToList()));
    }

    private static Dictionary<string, object> Field(PowerField field) => new()
    {
        ["name"] = field.Name,
        ["label"] = field.Label,
        ["required"] = field.Required,
        ["field_type"] = field.Type switch
        {
            PowerFieldType.MacAddress => "mac_address",
            PowerFieldType.Choice => "choice",
            PowerFieldType.MultipleChoice => "multiple_choice",
            PowerFieldType.Password => "password",
            _ => "string",
        },
        ["choices"] = field.Choices.Select(c => new[] { c.Value, c.Label }).ToList(),
        ["default"] = field.Default,
        ["scope"] = field.NodeScope ? "node" : "bmc",
        ["secret"] = field.Secret,
    };
}
