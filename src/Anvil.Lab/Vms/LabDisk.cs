namespace Anvil.Lab.Vms;

/// <summary>
/// A VM's disk: a sparse qcow2 file the test owns, attached as virtio-blk with a serial (what the
/// installer finds the disk by, there being no udev in the ephemeral environment).
/// </summary>
public sealed record LabDisk(string Path, string Serial)
{
    /// <summary>Creates an empty qcow2 disk of <paramref name="bytes"/> bytes.</summary>
    public static async Task<LabDisk> CreateAsync(string path, long bytes, string serial)
    {
        await LabCommand.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", path, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new LabDisk(path, serial);
    }

    /// <summary>The qemu arguments for this disk as drive number <paramref name="index"/>; the first disk is the one firmware boots.</summary>
    public IEnumerable<string> QemuArguments(int index) =>
    [
        "-drive", $"if=none,id=disk{index},file={Path},format=qcow2",
        "-device", $"virtio-blk-pci,drive=disk{index},serial={Serial}{(index == 0 ? ",bootindex=1" : "")}",
    ];
}
