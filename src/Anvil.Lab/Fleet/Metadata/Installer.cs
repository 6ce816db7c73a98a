using System.Text.Json;
using Anvil.Client;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>Where the installed OS's cloud-init finds the region: the install config's <c>datasource</c>.</summary>
internal sealed record InstalledOs(string MetadataUrl, MaasApiKey Token, string? ReportingUrl);

/// <summary>
/// The installer's conversation with the region (docs/architecture/deployment.md), without a disk:
/// curtin-origin progress events to the status webhook, the image fetched from the rack (bytes
/// counted, then dropped), <c>netboot_off</c>; what it would write for cloud-init is returned.
/// </summary>
internal sealed class Installer(HttpClient http, MetadataClient metadata, MachineTimeline timeline, bool fetchImage)
{
    public long ImageBytes { get; private set; }

    public async Task<InstalledOs> InstallAsync(JsonDocument config, CancellationToken ct)
    {
        var root = config.RootElement;
        var reporting = String(root, "reporting_url");
        async Task Report(string type, string name, string description, string? result = null)
        {
            if (reporting is not null)
                await metadata.ReportAsync(reporting, "curtin", type, name, description, result, ct);
        }

        await Report("start", "cmd-install", "curtin command install");
        await timeline.StepAsync("install-partitioning", async () =>
        {
            await Report("start", "cmd-install/stage-partitioning", "configuring storage");
            await Report("finish", "cmd-install/stage-partitioning", "configuring storage", "SUCCESS");
        });
        await timeline.StepAsync("install-image", async () =>
        {
            await Report("start", "cmd-install/stage-extract", "writing install sources to disk");
            if (fetchImage && root.TryGetProperty("image", out var image) && String(image, "url") is { } url)
                ImageBytes = await Download.DiscardAsync(http, url, ct);
            await Report("finish", "cmd-install/stage-extract", "writing install sources to disk", "SUCCESS");
        });
        await timeline.StepAsync("install-curthooks", async () =>
        {
            await Report("start", "cmd-install/stage-curthooks", "configuring installed system");
            await Report("finish", "cmd-install/stage-curthooks", "configuring installed system", "SUCCESS");
        });
        await Report("finish", "cmd-install", "curtin command install", "SUCCESS");
        await timeline.StepAsync("netboot-off", () => metadata.NetbootOffAsync(ct));

        var datasource = root.TryGetProperty("datasource", out var d) ? d : default;
        var metadataUrl = (datasource.ValueKind == JsonValueKind.Object ? String(datasource, "metadata_url") : null) ?? metadata.MetadataUrl;
        var token = datasource.ValueKind == JsonValueKind.Object
            && String(datasource, "consumer_key") is { } consumer && String(datasource, "token_key") is { } key && String(datasource, "token_secret") is { } secret
            ? new MaasApiKey(consumer, key, secret)
            : metadata.Token;
        return new InstalledOs(metadataUrl, token, reporting);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
