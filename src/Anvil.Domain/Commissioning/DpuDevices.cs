namespace Anvil.Domain.Commissioning;

/// <summary>
/// NVIDIA (Mellanox, PCI vendor 15b3) BlueField DPUs: the PCI functions only a BlueField exposes
/// (its SoC, integrated ConnectX, management interface and recovery functions), from the PCI ID
/// database. Commissioning gives a machine that has one the <c>dpu</c> tag.
/// </summary>
public static class DpuDevices
{
    public const string TagName = "dpu";
    public const string MellanoxVendorId = "15b3";

    private static readonly HashSet<string> BlueFieldProductIds = new(StringComparer.Ordinal)
    {
        // flash recovery (BlueField, -2, -3 Lx, -3, -4)
        "0211", "0214", "0215", "021a", "021b", "021c", "021d", "0220", "0221",
        // SoC PCIe bridges
        "1975", "1978", "197a", "197b", "2021", "2024",
        // SoC (crypto on/off), integrated ConnectX network controllers, SoC VF
        "a2d0", "a2d1", "a2d2", "a2d3", "a2d4", "a2d5", "a2d6", "a2d7", "a2d8", "a2d9", "a2da", "a2db", "a2dc", "a2dd", "a2de", "a2df",
        // auxiliary channel and SoC management interfaces
        "c2d1", "c2d2", "c2d3", "c2d4", "c2d5", "c2d6",
    };

    public static bool IsBlueField(string vendorId, string productId) =>
        vendorId.Equals(MellanoxVendorId, StringComparison.OrdinalIgnoreCase)
        && BlueFieldProductIds.Contains(productId.ToLowerInvariant());

    public static bool HasBlueField(MachineResources resources) =>
        resources.PciDevices.Any(d => IsBlueField(d.VendorId, d.ProductId));

    /// <summary>The machine is the DPU itself (its Arm side), not a host with a DPU card in it.</summary>
    public static bool IsDpuItself(MachineResources resources) =>
        resources.Dmi.TryGetValue("system_product", out var product) && product.Contains("BlueField", StringComparison.OrdinalIgnoreCase);
}
