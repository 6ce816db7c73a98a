using System.Globalization;
using Anvil.Data;
using Anvil.Data.Timeline;
using Anvil.Domain.Errors;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// <c>boot-timeline/?mac=</c>, an Anvil extension (docs/architecture/timeline.md): the timeline of
/// one MAC, for a machine that never enlisted (an unknown server whose PXE boot fails has no
/// system_id). Admin only: it shows any MAC the racks saw. Also the window and row shape that
/// <c>machines/{system_id}/?op=boot_timeline</c> shares.
/// </summary>
internal static class BootTimelineApi
{
    public const int DefaultLimit = 1_000;
    public const int MaxLimit = 10_000;

    public static ApiSpecItem[] WindowParams() =>
    [
        ApiParam.String("since", "Only events at or after this time (ISO 8601)."),
        ApiParam.Int("limit", $"At most this many of the newest events (default {DefaultLimit}, at most {MaxLimit})."),
    ];

    public static void Map(ApiCatalogBuilder api) =>
        api.Handler("BootTimelineHandler", "boot-timeline/", "The boot timeline of a MAC address (Anvil extension).")
            .Read(
                ReadAsync,
                "Read the boot timeline of a MAC (Anvil, admin).\nDHCP, TFTP and HTTP the racks saw from this MAC, oldest first, with microsecond timestamps; for machines that never enlisted.",
                ApiAccess.Admin,
                [ApiParam.String("mac", "The MAC address, e.g. 52:54:00:12:34:56.", required: true), .. WindowParams()]);

    private static async Task<ApiResult> ReadAsync(ApiRequest r)
    {
        var text = r.RequiredString("mac");
        if (!MachineFields.TryNormaliseMac(text, out var mac))
            throw new ValidationException("mac", $"'{text}' is not a valid MAC address.");
        var (since, limit) = Window(r);
        var entries = await r.Service<Database>().ReadAsync(c => BootEventStore.ForMacAsync(c, mac, since, limit, r.Aborted), r.Aborted);
        return ApiResult.Json(entries.Select(Json));
    }

    public static (DateTimeOffset? Since, int Limit) Window(ApiRequest r)
    {
        DateTimeOffset? since = null;
        if (r.String("since") is { Length: > 0 } text)
        {
            since = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new ValidationException("since", "Enter a valid date/time (ISO 8601).");
        }

        var limit = r.Int("limit") ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
            throw new ValidationException("limit", $"Ensure this value is between 1 and {MaxLimit}.");
        return (since, limit);
    }

    public static object Json(BootTimelineEntry e) => new
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
