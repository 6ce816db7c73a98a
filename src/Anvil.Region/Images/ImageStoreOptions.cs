namespace Anvil.Region.Images;

/// <summary>Where the region keeps boot resource content: <c>&lt;data-dir&gt;/images</c>, one file per sha256.</summary>
public sealed record ImageStoreOptions(string Root)
{
    public const string DefaultRoot = "/var/lib/anvil/images";

    /// <summary>How many times the importer tries one file before giving up for this run.</summary>
    public int DownloadAttempts { get; init; } = 3;
}
