using System.Text.Json;
using Anvil.Rack.Host;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Images;

/// <summary>
/// Image sync over the rack's region link: <c>get_boot_images</c> and <c>report_boot_images</c>
/// calls, content from <c>&lt;region&gt;/images-store/&lt;sha256&gt;</c> on each region the link knows.
/// </summary>
public sealed class LinkImageSyncRegion(RackAgent agent) : IImageSyncRegion
{
    public Task<BootImagesResponse> GetManifestAsync(string? knownVersion, CancellationToken ct) =>
        agent.Links.CallAsync<BootImagesResponse>(LinkMethods.GetBootImages, new BootImagesRequest(SystemId(), knownVersion), ct);

    public Task ReportAsync(string syncedVersion, IReadOnlyList<RackBootImageDto> images, CancellationToken ct) =>
        agent.Links.CallAsync<JsonElement?>(LinkMethods.ReportBootImages, new ReportBootImagesRequest(SystemId(), syncedVersion, images), ct);

    public IReadOnlyList<Uri> ContentUrls(string sha256) =>
        [.. agent.Links.RegionsInPreferenceOrder.Select(r => new Uri($"{r.TrimEnd('/')}/images-store/{sha256}"))];

    private string SystemId() =>
        agent.IsRegistered && agent.SystemId is { } id ? id : throw new LinkException("The rack has not registered with a region yet.");
}
