namespace Anvil.Data.Images;

/// <summary>A <c>boot_source</c> row: a simplestreams mirror and the keyring its signatures are checked with.</summary>
public sealed class BootSourceRecord
{
    public long Id { get; set; }

    public string Url { get; set; } = "";

    public string KeyringFilename { get; set; } = "";

    public byte[] KeyringData { get; set; } = [];

    public int Priority { get; set; }

    public bool Enabled { get; set; } = true;

    public bool SkipKeyringVerification { get; set; }

    public string Name { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

    public BootSourceRecord Copy() => (BootSourceRecord)MemberwiseClone();
}

/// <summary>A <c>boot_source_selection</c> row: what to import from a source.</summary>
public sealed class BootSourceSelectionRecord
{
    public long Id { get; set; }

    public long BootSourceId { get; set; }

    public string Os { get; set; } = "";

    public string Release { get; set; } = "";

    public string[] Arches { get; set; } = ["*"];

    public string[] Subarches { get; set; } = ["*"];

    public string[] Labels { get; set; } = ["*"];

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }

    public BootSourceSelectionRecord Copy() => (BootSourceSelectionRecord)MemberwiseClone();
}

/// <summary>A <c>rack_boot_images</c> row: what a rack last said it holds.</summary>
public sealed class RackBootImagesRecord
{
    public long NodeId { get; set; }

    public string SyncedVersion { get; set; } = "";

    /// <summary>JSON list of <c>{"name","architecture","subarches"}</c>.</summary>
    public string Images { get; set; } = "[]";

    public DateTimeOffset Reported { get; set; }
}
