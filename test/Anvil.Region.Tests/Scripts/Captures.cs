namespace Anvil.Region.Scripts;

/// <summary>The real script outputs under Scripts/Captures (see its README).</summary>
internal static class Captures
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Scripts", "Captures", name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "Captures", name));

    public const string QemuResources = "qemu-q35-machine-resources.json";
    public const string QemuLshw = "qemu-q35-lshw.xml";
    public const string HostResources = "host-vm-machine-resources.json";
    public const string HostLshw = "host-vm-lshw.xml";
    public const string Lldp = "lldp-neighbors.xml";
}
