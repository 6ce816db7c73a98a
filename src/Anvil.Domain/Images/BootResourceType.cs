namespace Anvil.Domain.Images;

/// <summary>MAAS's <c>BOOT_RESOURCE_TYPE</c> (persisted as these integers): imported from a source, or uploaded.</summary>
public enum BootResourceType
{
    Synced = 0,
    Uploaded = 2,
}

public static class BootResourceTypes
{
    /// <summary>The label MAAS shows in the API's <c>type</c> field.</summary>
    public static string Label(BootResourceType type) => type == BootResourceType.Synced ? "Synced" : "Uploaded";
}
