using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Domain.Config;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Resources;

/// <summary>MAAS's <c>maas/</c> resource: the region-wide configuration settings.</summary>
internal static class MaasApi
{
    /// <summary>
    /// Archive URLs live in MAAS's package repositories, which Anvil does not model; clients that ask
    /// (curtin preseeds, juju) get Ubuntu's public archives, MAAS's defaults.
    /// </summary>
    private static readonly Dictionary<string, string> ArchiveDefaults = new(StringComparer.Ordinal)
    {
        ["main_archive"] = "http://archive.ubuntu.com/ubuntu",
        ["ports_archive"] = "http://ports.ubuntu.com/ubuntu-ports",
    };

    public static void Map(ApiCatalogBuilder api) =>
        api.Handler("MaasHandler", "maas/", "Manage the MAAS server.")
            .Get(
                "get_config",
                GetConfigAsync,
                """
                Get a configuration value.

                Answers the JSON value of the named setting, or its default when it was never set.
                """,
                ApiParam.String("name", "The name of the configuration item to read, e.g. maas_name or ntp_servers.", required: true),
                ApiError.BadRequest("The name is not a configuration setting."))
            .Post(
                "set_config",
                SetConfigAsync,
                """
                Set a configuration value.

                The value is parsed to the kind of the setting (string, integer, boolean or a choice);
                an empty value clears optional settings.
                """,
                ApiAccess.Admin,
                ApiParam.String("name", "The name of the configuration item to set.", required: true),
                ApiParam.String("value", "The new value (required, may be empty)."),
                ApiError.BadRequest("The name is not a configuration setting, or the value does not fit it."),
                ApiError.Forbidden("The caller is not an admin."));

    private static async Task<ApiResult> GetConfigAsync(ApiRequest request)
    {
        var name = request.RequiredString("name");
        if (ArchiveDefaults.TryGetValue(name, out var archive))
            return ApiResult.Json(JsonValue.Create(archive));
        var setting = ConfigCatalog.Get(name);
        return ApiResult.Json(await new ConfigStore(request.Service<Database>()).GetAsync(setting.Name, request.Aborted));
    }

    private static async Task<ApiResult> SetConfigAsync(ApiRequest request)
    {
        var setting = ConfigCatalog.Get(request.RequiredString("name"));
        if (!request.Has("value"))
            throw new ValidationException("value", "This field is required.");
        var value = ConfigCatalog.Parse(setting, request.String("value") ?? "");
        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                await ConfigStore.SetAsync(c, tx, setting.Name, value, request.Aborted);
                await ApiAudit.RecordAsync(c, tx, request, EventTypes.SETTINGS, $"Updated configuration setting '{setting.Name}' to '{Shown(setting.Name, value)}'.");
            },
            request.Aborted);
        return ApiResult.Ok;
    }

    /// <summary>Secrets (passwords, keys) are not repeated in the audit log.</summary>
    private static string Shown(string name, JsonNode? value) =>
        name.Contains("password", StringComparison.Ordinal) || name.EndsWith("_key", StringComparison.Ordinal)
            ? "********"
            : value switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => value.ToJsonString(),
            };
}
