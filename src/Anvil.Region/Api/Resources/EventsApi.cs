using System.Globalization;
using System.Text;
using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// MAAS's <c>events/</c> resource: a paged, filtered view of node and audit events, newest first.
/// Non-admins see every node event but only their own audit events.
/// </summary>
internal static class EventsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Query parameters that are not filters, so the paging links leave them out.</summary>
    private static readonly HashSet<string> NotFilters = new(StringComparer.Ordinal) { "op", "after", "before" };

    public static void Map(ApiCatalogBuilder api) =>
        api.Handler("EventsHandler", "events/", "Events: what happened to nodes, and what users did.")
            .Get(
                "query",
                QueryAsync,
                """
                List events, newest first.

                Filters combine with AND; repeated filters (hostname, mac_address, id, domain) match any of their
                values. level AUDIT lists audit events only; any other level lists events of that level and above.
                next_uri pages to newer events, prev_uri to older ones.
                """,
                ApiParam.Strings("hostname", "Only events of nodes with this hostname."),
                ApiParam.Strings("mac_address", "Only events of nodes with this MAC address."),
                ApiParam.Strings("id", "Only events of nodes with this system id."),
                ApiParam.Strings("domain", "Only events of nodes in this domain."),
                ApiParam.String("zone", "Only events of nodes in this zone."),
                ApiParam.String("pool", "Only events of nodes in this resource pool."),
                ApiParam.String("agent_name", "Only events of nodes with this agent name."),
                ApiParam.String("level", "AUDIT, DEBUG, INFO (the default), WARNING, ERROR or CRITICAL."),
                ApiParam.Int("limit", $"At most this many events ({DefaultLimit} by default, {MaxLimit} at most)."),
                ApiParam.Int("before", "Only events with an id below this one (older)."),
                ApiParam.Int("after", "Only events with an id above this one (newer)."),
                ApiParam.String("owner", "Only events caused by this username."),
                ApiError.BadRequest("limit is out of range, level is unknown, or both before and after were given."));

    private static async Task<ApiResult> QueryAsync(ApiRequest request)
    {
        var limit = request.Int("limit") ?? DefaultLimit;
        if (limit > MaxLimit)
            throw new BadRequestException($"Requested number of events {limit} is greater than the limit of {MaxLimit}.");
        if (limit < 0)
            throw new BadRequestException($"Requested number of events {limit} is negative.");
        var before = request.Int("before");
        var after = request.Int("after");
        if (before is not null && after is not null)
            throw new BadRequestException("Give either 'before' or 'after', not both: together they do not define a page.");
        var level = ParseLevel(request.String("level"));

        var filter = new EventFilter
        {
            Level = level,
            Hostnames = NonEmpty(request.Strings("hostname")),
            MacAddresses = NonEmpty(request.Strings("mac_address")),
            SystemIds = NonEmpty(request.Strings("id")),
            Domains = NonEmpty(request.Strings("domain")),
            Zone = Value(request.String("zone")),
            Pool = Value(request.String("pool")),
            AgentName = Value(request.String("agent_name")),
            Owner = Value(request.String("owner")),
            Before = before,
            After = after,
            Limit = limit,
            VisibleToUserId = request.Caller.IsSuperuser ? null : request.Caller.Id,
        };
        var rows = await request.Service<Database>().ReadAsync(c => EventStore.QueryAsync(c, filter, request.Aborted), request.Aborted);

        var baseUri = BaseQueryUri(request);
        string nextUri;
        string? prevUri = null;
        if (rows.Count > 0)
        {
            nextUri = $"{baseUri}&after={rows[0].Id}";
            prevUri = $"{baseUri}&before={rows[^1].Id}";
        }
        else
        {
            // Nothing here: the next page starts where this one would have.
            var from = after ?? (before is { } b ? b - 1 : (long?)null);
            nextUri = from is null ? baseUri : $"{baseUri}&after={from}";
        }

        return ApiResult.Json(new EventPageDto(rows.Count, rows.Select(ToDto).ToList(), nextUri, prevUri));
    }

    private static EventLevel ParseLevel(string? level)
    {
        if (string.IsNullOrEmpty(level))
            return EventLevel.INFO;
        return Enum.TryParse<EventLevel>(level, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(level, out _)
            ? parsed
            : throw new BadRequestException($"Unrecognised log level: {level} (use AUDIT, DEBUG, INFO, WARNING, ERROR or CRITICAL).");
    }

    private static EventDto ToDto(EventRow e) => new(
        e.Username.Length == 0 ? "unknown" : e.Username,
        e.NodeSystemId,
        e.NodeHostname,
        e.Id,
        Enum.IsDefined((EventLevel)e.Level) ? ((EventLevel)e.Level).ToString() : e.Level.ToString(CultureInfo.InvariantCulture),
        e.Created.UtcDateTime.ToString("ddd, dd MMM. yyyy HH:mm:ss", CultureInfo.InvariantCulture),
        EventTypes.TryGet(e.Type, out var type) ? type.Description : e.Type,
        e.Description);

    /// <summary><c>/MAAS/api/2.0/events/?op=query</c> plus the caller's filters, without paging or OAuth parameters.</summary>
    private static string BaseQueryUri(ApiRequest request)
    {
        var uri = new StringBuilder(ResourceUris.Prefix).Append("events/?op=query");
        foreach (var (key, values) in request.Http.Request.Query)
        {
            if (NotFilters.Contains(key) || key.StartsWith("oauth_", StringComparison.Ordinal))
                continue;
            foreach (var value in values)
                uri.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        }

        return uri.ToString();
    }

    private static List<string>? NonEmpty(IReadOnlyList<string> values)
    {
        var kept = values.Where(v => v.Length > 0).ToList();
        return kept.Count > 0 ? kept : null;
    }

    private static string? Value(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
