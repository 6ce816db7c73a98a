using Anvil.Data;
using Anvil.Data.Timeline;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// <c>op=boot_timeline</c>, an Anvil extension (docs/architecture/timeline.md): what the machine
/// did on the wire, oldest first — DHCP, TFTP and HTTP from the racks, metadata calls, signals,
/// installer progress and power actions from the region, and its status changes — so a failed
/// boot says where it stopped. A MAC's timeline, for machines never enlisted, is <see cref="BootTimelineApi"/>.
/// </summary>
internal static partial class MachinesApi
{
    private static async Task<ApiResult> BootTimelineAsync(ApiRequest r)
    {
        var view = await ViewAsync(r, r.Path("system_id"));
        var (since, limit) = BootTimelineApi.Window(r);
        var entries = await r.Service<Database>().ReadAsync(c => BootEventStore.ForNodeAsync(c, view.Id, since, limit, r.Aborted), r.Aborted);
        return ApiResult.Json(entries.Select(BootTimelineApi.Json));
    }
}
