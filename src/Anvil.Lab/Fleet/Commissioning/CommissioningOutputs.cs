using System.Text;

namespace Anvil.Lab.Fleet.Commissioning;

/// <summary>
/// The outputs a simulated machine uploads for the built-in commissioning scripts: what they printed
/// on a real qemu guest (Captures/), with that guest's MACs, serials and UUID replaced by the
/// machine's own. Scripts without a capture succeed with no output.
/// </summary>
internal static class CommissioningOutputs
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Captures = new(() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["20-maas-03-machine-resources"] = Read("qemu-q35-machine-resources.json"),
        ["maas-lshw"] = Read("qemu-q35-lshw.xml"),
        ["maas-list-modaliases"] = Read("qemu-q35-modaliases.txt"),
        ["maas-capture-lldpd"] = Read("lldp-neighbors.xml"),
    });

    /// <summary>The script's standard output for this machine; empty when there is no capture.</summary>
    public static byte[] For(string script, MachineIdentity machine, string kernelCommandLine)
    {
        if (script == "maas-kernel-cmdline")
            return Encoding.UTF8.GetBytes(kernelCommandLine + "\n");
        if (!Captures.Value.TryGetValue(script, out var capture))
            return [];
        var serial = machine.Serial;
        var text = capture
            .Replace("52:54:00:a1:00:01", machine.BootMacText, StringComparison.OrdinalIgnoreCase)
            .Replace("52:54:00:a1:00:02", machine.SecondMacText, StringComparison.OrdinalIgnoreCase)
            .Replace("6a1c5b0e-2f4d-4c39-9a53-2d5e0f7b1c11", machine.Uuid.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("ANVIL-SN-0001", serial, StringComparison.Ordinal)
            .Replace("BOARD-0001", "BOARD-" + serial, StringComparison.Ordinal)
            .Replace("CHASSIS-0001", "CHASSIS-" + serial, StringComparison.Ordinal)
            .Replace("ANVILDISK01", "VDA-" + serial, StringComparison.Ordinal)
            .Replace("ANVILSATA02", "SDA-" + serial, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }

    private static string Read(string name)
    {
        using var stream = typeof(CommissioningOutputs).Assembly.GetManifestResourceStream("Captures/" + name)
            ?? throw new InvalidOperationException($"The capture {name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
