namespace Anvil.Rack.Host;

/// <summary>The system_id the region gave this rack, kept in its data directory across restarts.</summary>
internal sealed class RackIdentity(string dataDir)
{
    private string Path => System.IO.Path.Combine(dataDir, "system_id");

    public string? Load() => File.Exists(Path) && File.ReadAllText(Path).Trim() is { Length: > 0 } id ? id : null;

    public void Save(string systemId)
    {
        Directory.CreateDirectory(dataDir);
        var temp = Path + ".tmp";
        File.WriteAllText(temp, systemId);
        File.Move(temp, Path, overwrite: true);
    }
}
