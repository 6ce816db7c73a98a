using Anvil.Domain.Errors;

namespace Anvil.Region.Api.Framework;

/// <summary>A small catalog exercising every framework feature: CRUD, ops, anon, admin, path patterns.</summary>
internal static class TestCatalog
{
    /// <summary>The catalog in independent pieces, so a test can declare them in another order.</summary>
    public static IReadOnlyList<Action<ApiCatalogBuilder>> Parts { get; } = [DeclareWidgets, DeclareOthers];

    public static void Declare(ApiCatalogBuilder api)
    {
        foreach (var part in Parts)
            part(api);
    }

    private static void DeclareWidgets(ApiCatalogBuilder api)
    {
        api.Handler("WidgetsHandler", "widgets/", "Manage widgets.")
            .Read(Echo, "List widgets\nEvery widget the caller can see.")
            .Create(
                Echo,
                "Create a widget\nMakes one widget.",
                ApiParam.String("name", "The widget's name.", required: true),
                ApiParam.Int("size", "Size in units."),
                ApiParam.Float("ratio", "A ratio."),
                ApiParam.Bool("enabled", "Whether it is on."),
                ApiParam.Strings("tags", "Tags; repeat for several."),
                ApiParam.File("blob", "Optional contents."),
                ApiError.Conflict("The name is taken."))
            .Get("count", Echo, "Count widgets")
            .Post("echo", Echo, "Echo the form\nAnswers with what it received.")
            .Post("purge", _ => Task.FromResult(ApiResult.Ok), "Purge widgets", ApiAccess.Admin)
            .Post("nothing", _ => Task.FromResult(ApiResult.Deleted), "Answer 204");

        api.AnonHandler("AnonWidgetsHandler", "widgets/", "Widgets for anonymous callers.")
            .Read(Echo, "List public widgets")
            .Get("is_registered", Echo, "Is it registered", ApiParam.String("mac_address", "A MAC.", required: true));

        api.Handler("WidgetHandler", "widgets/{widget_id}/", "One widget.")
            .Read(Echo, "Read a widget")
            .Update(Echo, "Update a widget", ApiParam.String("name", "New name."))
            .Delete(_ => Task.FromResult(ApiResult.Deleted), "Delete a widget")
            .Post("explode", _ => throw new InvalidOperationException("secret internals"), "Fail unexpectedly")
            .Post("conflict", _ => throw new ConflictException("Widget is busy."), "Refuse with 409")
            .Post("missing", _ => throw new NotFoundException("No Widget matches the given query."), "Refuse with 404")
            .Post("unavailable", _ => throw new UnavailableException("No rack can reach it."), "Refuse with 503")
            .Post("forbidden", _ => throw new ForbiddenException("Not yours."), "Refuse with 403")
            .Post("gone", _ => throw new GoneException("Gone for good."), "Refuse with 410")
            .Post("invalid", _ => throw new ValidationException("name", "Bad name."), "Refuse with field errors");

    }

    private static void DeclareOthers(ApiCatalogBuilder api)
    {
        api.Handler("SpecialWidgetHandler", "widgets/special/", "The literal path that must beat the placeholder.")
            .Read(Echo, "Read the special widget");

        api.Handler("SubnetHandler", "subnets/{subnet_id}/", "A subnet, addressed by id or CIDR.")
            .PathParamPattern("subnet_id", @"[^/]+(/[0-9]+)?")
            .Read(Echo, "Read a subnet");

        api.Handler("ScriptsHandler", "scripts/", "Scripts.")
            .Get("download", Echo, "Download all");

        api.Handler("ScriptHandler", "scripts/{name}", "One script (no trailing slash, as in MAAS).")
            .Read(Echo, "Read a script");

        api.Handler("SecretHandler", "secrets/", "Not described.")
            .Hidden()
            .Read(Echo, "Read secrets");
    }

    /// <summary>Answers with who called what, the path parameters, the form and the files.</summary>
    public static Task<ApiResult> Echo(ApiRequest request) => Task.FromResult(ApiResult.Json(new Dictionary<string, object?>
    {
        ["user"] = request.User?.Username,
        ["action"] = request.Action.Name,
        ["route"] = request.Route,
        ["values"] = request.Form.All,
        ["files"] = request.Form.Keys.Concat(["blob", "file"]).Distinct().Select(request.Form.GetFile).OfType<ApiFile>()
            .ToDictionary(f => f.Name, f => new { f.FileName, f.ContentType, Content = Convert.ToBase64String(f.Content) }),
    }));
}
