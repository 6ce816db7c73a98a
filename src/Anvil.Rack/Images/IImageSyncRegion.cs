using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Images;

/// <summary>What rack image sync needs of the regions: the list of files, where content is, and somewhere to report.</summary>
public interface IImageSyncRegion
{
    /// <summary>The files the rack should hold; unchanged (no list) when <paramref name="knownVersion"/> is current.</summary>
    Task<BootImagesResponse> GetManifestAsync(string? knownVersion, CancellationToken ct);

    /// <summary>Tells the region what the rack holds now.</summary>
    Task ReportAsync(string syncedVersion, IReadOnlyList<RackBootImageDto> images, CancellationToken ct);

    /// <summary>Where a file's content can be fetched, best region first.</summary>
    IReadOnlyList<Uri> ContentUrls(string sha256);
}
