namespace Anvil.Domain.Storage;

/// <summary>
/// The parameters of <c>set_storage_layout</c> (maas-api.md §14.1). Sizes stay text because a
/// percentage is of the device it applies to; ids are block device ids as given.
/// </summary>
public sealed record StorageLayoutOptions
{
    public required string Layout { get; init; }
    public string? BootSize { get; init; }
    public string? RootSize { get; init; }
    public string? RootDevice { get; init; }
    public string? VgName { get; init; }
    public string? LvName { get; init; }
    public string? LvSize { get; init; }
    public string? CacheDevice { get; init; }
    public string? CacheMode { get; init; }
    public string? CacheSize { get; init; }
    public bool CacheNoPart { get; init; }
}
