using Anvil.Data.Controllers;
using Anvil.Region.Api.Framework;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Controllers;

/// <summary>
/// The region controller resources (maas-api.md §3.7): <c>regioncontrollers/</c> and
/// <c>regioncontrollers/{system_id}/</c>, nodes of type 3 and region+rack controllers (type 4).
/// </summary>
internal static class RegionControllersApi
{
    private const ControllerRole Role = ControllerRole.Region;

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("RegionControllersHandler", "regioncontrollers/", "Manage the collection of all region controllers in MAAS.")
            .Read(r => ControllerActions.ListAsync(r, Role), "List region controllers.\nLists region controllers, optionally filtered by the same criteria as nodes.", ControllerFilters.Read());

        api.Handler("RegionControllerHandler", "regioncontrollers/{system_id}/", "Manage an individual region controller.")
            .Read(r => ControllerActions.ReadAsync(r, Role), "Read a region controller.", ApiError.NotFound("No such region controller."))
            .Update(r => ControllerActions.UpdateAsync(r, Role), "Update a region controller (admin).", ApiAccess.Admin,
                String("description", "The new description."),
                String("power_type", "The power type (e.g. manual)."),
                String("power_parameters_{param}", "Power parameters, one field per parameter."),
                Bool("power_parameters_skip_check", "Skip validation of the power parameters."),
                String("zone", "The zone."),
                ApiError.NotFound("No such region controller."))
            .Delete(r => ControllerActions.DeleteAsync(r, Role), "Delete a region controller (admin).\nA region+rack controller becomes a rack controller.", ApiAccess.Admin,
                Bool("force", "Accepted for compatibility."),
                ApiError.NotFound("No such region controller."))
            .Get("power_parameters", r => ControllerActions.PowerParametersAsync(r, Role), "Get power parameters (admin).", ApiAccess.Admin);
    }
}
