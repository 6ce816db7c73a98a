using Anvil.Region.Api.Framework;
using Anvil.Region.Images;

namespace Anvil.Region.Api.Images;

/// <summary><c>rackcontrollers/{id}/?op=list_boot_images</c>: what the rack last reported holding, and whether that is the region's current list.</summary>
internal static class RackBootImagesApi
{
    public static async Task<ApiResult> ListAsync(ApiRequest request, long nodeId, bool connected)
    {
        var status = await request.Service<RackImageManifest>().StatusAsync(nodeId, request.Aborted);
        var images = status.Images.Select(i => new { name = i.Name, architecture = i.Architecture, subarches = i.Subarches }).ToList();
        return ApiResult.Json(new { images, connected, status = status.Status });
    }
}
