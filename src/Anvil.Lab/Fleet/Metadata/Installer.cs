using System.Text.Json;
using Anvil.Client;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>Where the installed OS's cloud-init finds the region: the install config's <c>datasource</c>.</summary>
internal sealed record InstalledOs(string MetadataUrl, MaasApiKey Token, string? ReportingUrl);

/// <summary>
/// The installer's conversation with the region (docs/architecture/deployment.md), without a disk:
/// curtin-origin progress events to the status webhook, the image fetched from the rack (bytes
/// counted, then dropped), <c>netboot_off</c>, in <c>ephemeral/installer/installer.sh</c>'s order;
/// what it would write for cloud-init is returned.
/// </summary>
internal sealed class Installer(HttpClient http, MetadataClient metadata, MachineTimeline timeline, bool fetchImage)
{
    public long ImageBytes { get; private set; }

    /// <summary>Installs; on a failure reports it as installer.sh does (FAIL events, FAILED signal) and rethrows: the machine powers off.</summary>
    public async Task<InstalledOs> InstallAsync(JsonDocument config, CancellationToken ct)
    {
        try
        {
            return await RunAsync(config, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = $"Installation failed: {e.Message}";
            var reporting = String(config.RootElement, "reporting_url");
            try
            {
                if (reporting is not null)
                    await metadata.ReportAsync(reporting, "curtin", "finish", "cmd-install", reason, "FAIL", ct);
                await metadata.SignalAsync("FAILED", reason, ct);
            }
            catch (HttpRequestException)
            {
                // the region is what failed; the original error says more
            }

            throw;
        }
    }

    private async Task<InstalledOs> RunAsync(JsonDocument config, CancellationToken ct)
    {
        var root = config.RootElement;
        var reporting = String(root, "reporting_url");
        async Task Report(string type, string name, string description, string? result = null)
        {
            if (reporting is not null)
                await metadata.ReportAsync(reporting, "curtin", type, name, description, result, ct);
        }

        // installer.sh's order: each stage reports start and finish; netboot_off is stage-late;
        // the top-level finish comes last, then /init reboots.
        await Report("start", "cmd-install", "curtin command install");
        await Stage("install-partitioning", "stage-partitioning", "configuring storage", "storage configured", () => Task.CompletedTask);
        await Stage("install-image", "stage-extract", "writing the root file system", "root file system written", async () =>
        {
            if (fetchImage && root.TryGetProperty("image", out var image) && String(image, "url") is { } url)
                ImageBytes = await Download.DiscardAsync(http, url, ct);
        });
        await Stage("install-curthooks", "stage-curthooks", "configuring the installed system", "installed system configured", () => Task.CompletedTask);
        await Stage("netboot-off", "stage-late", "turning network boot off", "network boot off", () => metadata.NetbootOffAsync(ct));
        await Report("finish", "cmd-install", "curtin command install", "SUCCESS");

        async Task Stage(string step, string stage, string starting, string finished, Func<Task> work) =>
            await timeline.StepAsync(step, async () =>
            {
                await Report("start", $"cmd-install/{stage}", starting);
                await work();
                await Report("finish", $"cmd-install/{stage}", finished, "SUCCESS");
            });

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
