namespace Anvil.Lab.Vms;

/// <summary>How a lab VM boots: SeaBIOS (qemu's default) or OVMF (UEFI) with variables of its own.</summary>
public sealed class LabFirmware
{
    private const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    private const string OvmfVarsTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    private LabFirmware(string? varsPath) => VarsPath = varsPath;

    /// <summary>SeaBIOS.</summary>
    public static LabFirmware Bios { get; } = new(null);

    public bool IsUefi => VarsPath is not null;

    /// <summary>The VM's own copy of OVMF's variable store (boot entries persist across its boots); null for BIOS.</summary>
    public string? VarsPath { get; }

    /// <summary>OVMF with a fresh copy of the variable store at <paramref name="varsPath"/>, kept across this VM's boots.</summary>
    public static LabFirmware Uefi(string varsPath)
    {
        File.Copy(OvmfVarsTemplate, varsPath, overwrite: true);
        return new LabFirmware(varsPath);
    }

    public IEnumerable<string> QemuArguments() => VarsPath is null
        ? []
        :
        [
            "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCode}",
            "-drive", $"if=pflash,format=raw,unit=1,file={VarsPath}",
        ];
}
