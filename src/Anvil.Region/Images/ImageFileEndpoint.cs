using Anvil.Domain.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Region.Images;

/// <summary>
/// Serves complete store files by sha256 to racks: <c>GET|HEAD /MAAS/images-store/&lt;sha256&gt;</c>, with
/// single byte ranges (206/416) so a rack resumes an interrupted copy. Anonymous, as MAAS's
/// <c>/MAAS/images-stream/</c> is: the content is addressed by a hash only the region hands out.
/// </summary>
internal static class ImageFileEndpoint
{
    public const string Path = "/MAAS/images-store/";

    public static IEndpointRouteBuilder MapImageStore(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path + "{sha256}", [HttpMethods.Get, HttpMethods.Head], Serve).WithDisplayName("Boot image store");
        return endpoints;
    }

    private static IResult Serve(string sha256, HttpContext http)
    {
        var store = http.RequestServices.GetRequiredService<ImageFileStore>();
        if (!Sha256Text.IsValid(sha256) || !store.Has(sha256))
            return Results.NotFound();
        return Results.File(store.PathOf(sha256), "application/octet-stream", enableRangeProcessing: true);
    }
}
