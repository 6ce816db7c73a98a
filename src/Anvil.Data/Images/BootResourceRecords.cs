namespace Anvil.Data.Images;

/// <summary>A <c>boot_resource</c> row (0007_boot_resources.sql); <see cref="Rtype"/> is MAAS's integer.</summary>
public sealed class BootResourceRecord
{
    public long Id { get; set; }

    public int Rtype { get; set; }

    public string Name { get; set; } = "";

    public string Architecture { get; set; } = "";

    /// <summary>JSON object of extra fields shown in the API (<c>title</c>, <c>subarches</c>…).</summary>
    public string Extra { get; set; } = "{}";

    public string BaseImage { get; set; } = "";

    public string Kflavor { get; set; } = "";

    public string BootloaderType { get; set; } = "";

    public DateTimeOffset? LastDeployed { get; set; }

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }
}

/// <summary>A <c>boot_resource_set</c> row: one version of a resource.</summary>
public sealed class BootResourceSetRecord
{
    public long Id { get; set; }

    public long ResourceId { get; set; }

    public string Version { get; set; } = "";

    public string Label { get; set; } = "";

    public DateTimeOffset Created { get; set; }
}

/// <summary>A <c>boot_resource_file</c> row; complete when <see cref="BytesPresent"/> reaches <see cref="Size"/>.</summary>
public sealed class BootResourceFileRecord
{
    public long Id { get; set; }

    public long SetId { get; set; }

    public string Filename { get; set; } = "";

    public string Filetype { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public long Size { get; set; }

    public long BytesPresent { get; set; }

    public string Extra { get; set; } = "{}";

    public bool Complete => BytesPresent >= Size;
}

/// <summary>A file with its set and resource, as manifests and deploy lookups need it.</summary>
public sealed class BootImageFileRow
{
    public long ResourceId { get; set; }

    public int Rtype { get; set; }

    public string Name { get; set; } = "";

    public string Architecture { get; set; } = "";

    public string Extra { get; set; } = "{}";

    public long SetId { get; set; }

    public string Version { get; set; } = "";

    public string Label { get; set; } = "";

    public long FileId { get; set; }

    public string Filename { get; set; } = "";

    public string Filetype { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public long Size { get; set; }

    public long BytesPresent { get; set; }
}
