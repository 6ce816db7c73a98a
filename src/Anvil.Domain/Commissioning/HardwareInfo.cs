namespace Anvil.Domain.Commissioning;

/// <summary>A machine's <c>hardware_info</c> (maas-api.md §4) from what commissioning found.</summary>
public static class HardwareInfo
{
    /// <summary>MAAS's keys other than <c>cpu_model</c>, in the order the API shows them.</summary>
    public static IReadOnlyList<string> DmiKeys { get; } =
    [
        "system_vendor", "system_product", "system_family", "system_version", "system_sku", "system_serial",
        "mainboard_vendor", "mainboard_product", "mainboard_serial", "mainboard_version", "mainboard_firmware_vendor",
        "mainboard_firmware_date", "mainboard_firmware_version", "chassis_vendor", "chassis_type", "chassis_serial", "chassis_version",
    ];

    // SMBIOS chassis types (sysfs gives the number, dmidecode the name).
    private static readonly string[] ChassisTypes =
    [
        "", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower", "Portable", "Laptop",
        "Notebook", "Hand Held", "Docking Station", "All In One", "Sub Notebook", "Space-saving", "Lunch Box",
        "Main Server Chassis", "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis",
        "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosing",
        "Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
    ];

    /// <summary>The known, non-empty values; the API shows <c>Unknown</c> for the rest.</summary>
    public static IReadOnlyDictionary<string, string> From(MachineResources resources)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in DmiKeys)
        {
            if (resources.Dmi.TryGetValue(key, out var value) && IsMeaningful(value))
                info[key] = key == "chassis_type" ? ChassisTypeName(value) : value;
        }

        if (resources.Cpu.Model.Length > 0)
            info["cpu_model"] = resources.Cpu.Model;
        return info;
    }

    /// <summary>The SMBIOS UUID as MAAS's <c>hardware_uuid</c>, lower case, or null when absent or a placeholder.</summary>
    public static string? HardwareUuid(MachineResources resources) =>
        resources.Dmi.TryGetValue("system_uuid", out var uuid) && Guid.TryParse(uuid, out var parsed)
            && parsed != Guid.Empty && uuid.Length == 36 && !uuid.Equals("ffffffff-ffff-ffff-ffff-ffffffffffff", StringComparison.OrdinalIgnoreCase)
            ? uuid.ToLowerInvariant()
            : null;

    public static string ChassisTypeName(string value) =>
        int.TryParse(value, out var number) && number > 0 && number < ChassisTypes.Length ? ChassisTypes[number] : value;

    // Firmware fills fields it does not know with such placeholders; MAAS shows them as Unknown.
    private static bool IsMeaningful(string value) =>
        value.Length > 0 && !value.Equals("To Be Filled By O.E.M.", StringComparison.OrdinalIgnoreCase)
        && !value.Equals("Not Specified", StringComparison.OrdinalIgnoreCase)
        && !value.Equals("Default string", StringComparison.OrdinalIgnoreCase);
}
