using System.Globalization;
using Anvil.Data;
using Anvil.Data.Timeline;
using Anvil.Domain.Errors;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// <c>op=boot_timeline</c>, an Anvil extension (docs/architecture/timeline.md): what the machine
/// did on the wire, oldest first — DHCP, TFTP and HTTP from the racks, metadata calls, signals
/// and power actions from the region, and its status changes — so a failed boot says where it stopped.
/// </summary>
internal static partial class MachinesApi
{
    private const int DefaultTimelineLimit = 1_000;
    private const int MaxTimelineLimit = 10_000;

    private static async Task<ApiResult> BootTimelineAsync(ApiRequest r)
    {
        var view = await ViewAsync(r, r.Path("system_id"));
        var (since, limit) = TimelineWindow(r);
        var entries = await r.Service<Database>().ReadAsync(c => BootEventStore.ForNodeAsync(c, view.Id, since, limit, r.Aborted), r.Aborted);
        return ApiResult.Json(entries.Select(TimelineJson));
    }

    internal static (DateTimeOffset? Since, int Limit) TimelineWindow(ApiRequest r)
    {
        DateTimeOffset? since = null;
        if (r.String("since") is { Length: > 0 } text)
        {
            since = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new ValidationException("since", "Enter a valid date/time (ISO 8601).");
        }

        var limit = r.Int("limit") ?? DefaultTimelineLimit;
        if (limit is < 1 or > MaxTimelineLimit)
            throw new ValidationException("limit", $"Ensure this value is between 1 and {MaxTimelineLimit}.");
        return (since, limit);
    }

    internal static object TimelineJson(BootTimelineEntry e) => new
    {
        at = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        stage = e.Stage,
        kind = e.Kind,
        detail = e.Detail,
        bytes = e.Bytes,
        mac = e.Mac,
        source = e.Source,
    };
}
