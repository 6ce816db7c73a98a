using System.Text.Json;
using System.Text.RegularExpressions;

namespace Anvil.Domain.Commissioning;

/// <summary>Reads the machine-resources script's JSON; anything malformed is refused as a whole.</summary>
public static partial class MachineResourcesReader
{
    public const string ScriptName = "20-maas-03-machine-resources";

    /// <summary>
    /// Parses the script's stdout. Text around the JSON object (e.g. stderr lines in a combined
    /// output) is ignored; a missing, truncated or foreign document throws
    /// <see cref="CommissioningOutputException"/>.
    /// </summary>
    public static MachineResources Parse(ReadOnlySpan<byte> output)
    {
        var start = output.IndexOf((byte)'{');
        var end = output.LastIndexOf((byte)'}');
        if (start < 0 || end < start)
            throw Fail("the output holds no JSON object (was the script's stdout sent?)");
        try
        {
            using var document = JsonDocument.Parse(output[start..(end + 1)].ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw Fail($"the output is not valid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw Fail($"a value has the wrong type ({e.Message})", e);
        }
    }

    private static MachineResources Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != "anvil-resources")
            throw Fail("the output is not an anvil-resources document");
        if (!root.TryGetProperty("version", out var version) || version.GetInt32() != 1)
            throw Fail("only anvil-resources version 1 is understood");
        var architecture = Text(root, "architecture");
        if (architecture.Length == 0 || !ArchitecturePattern().IsMatch(architecture))
            throw Fail("the architecture is missing or malformed");

        var cpu = Section(root, "cpu");
        var cpuCount = Int(cpu, "count");
        if (cpuCount <= 0)
            throw Fail("the CPU count is missing");
        var memory = Long(Section(root, "memory"), "total_bytes");
        if (memory <= 0)
            throw Fail("the memory size is missing");

        var dmi = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Section(root, "dmi").EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()!.Trim() : "";
            if (value.Length > 0)
                dmi[property.Name] = value;
        }

        return new MachineResources
        {
            Architecture = architecture,
            IsVirtual = root.TryGetProperty("virtual", out var isVirtual) && isVirtual.ValueKind == JsonValueKind.True,
            Firmware = Text(root, "firmware") is "uefi" or "bios" ? Text(root, "firmware") : null,
            Cpu = new CpuResources(Text(cpu, "model"), cpuCount, Math.Max(0, Int(cpu, "speed_mhz"))),
            MemoryBytes = memory,
            Dmi = dmi,
            Disks = [.. Array(root, "storage").Select(Disk).Where(d => d.Size > 0)],
            Nics = [.. Array(root, "network").Select(Nic).OfType<NicResource>()],
            PciDevices = [.. Array(root, "pci").Select(Pci).OfType<PciDeviceResource>()],
            UsbDevices = [.. Array(root, "usb").Select(Usb).OfType<UsbDeviceResource>()],
        };
    }

    private static DiskResource Disk(JsonElement e)
    {
        var name = Text(e, "name");
        if (name.Length == 0 || name.Contains('/'))
            throw Fail($"a disk has a missing or malformed name \"{name}\"");
        return new DiskResource
        {
            Name = name,
            Path = Text(e, "path"),
            IdPath = Text(e, "id_path"),
            Model = Text(e, "model"),
            Serial = Text(e, "serial"),
            Size = Long(e, "size"),
            BlockSize = Int(e, "block_size") is var b and > 0 ? b : 512,
            Rotational = Bool(e, "rotational"),
            Removable = Bool(e, "removable"),
            FirmwareVersion = Text(e, "firmware_version"),
            NumaNode = Math.Max(0, Int(e, "numa_node")),
        };
    }

    /// <summary>NICs without a usable MAC (all zeroes, InfiniBand's 20-byte addresses) are left out.</summary>
    private static NicResource? Nic(JsonElement e)
    {
        var name = Text(e, "name");
        var mac = Text(e, "mac").ToLowerInvariant();
        if (name.Length == 0)
            throw Fail("a NIC has no name");
        if (!MacPattern().IsMatch(mac) || mac == "00:00:00:00:00:00")
            return null;
        return new NicResource
        {
            Name = name,
            Mac = mac,
            Driver = Text(e, "driver"),
            PciAddress = Text(e, "pci_address"),
            VendorId = Text(e, "vendor_id"),
            ProductId = Text(e, "product_id"),
            Link = Bool(e, "link"),
            SpeedMbps = Math.Max(0, Int(e, "speed_mbps")),
            Mtu = Int(e, "mtu") is var m and > 0 ? m : 1500,
            SriovMaxVf = Math.Max(0, Int(e, "sriov_max_vf")),
            NumaNode = Math.Max(0, Int(e, "numa_node")),
        };
    }

    private static PciDeviceResource? Pci(JsonElement e)
    {
        var vendor = Text(e, "vendor_id").ToLowerInvariant();
        var product = Text(e, "product_id").ToLowerInvariant();
        if (!HexIdPattern().IsMatch(vendor) || !HexIdPattern().IsMatch(product))
            return null;
        return new PciDeviceResource
        {
            Address = Text(e, "address"),
            VendorId = vendor,
            ProductId = product,
            Class = Text(e, "class"),
            Driver = Text(e, "driver"),
            Modalias = Text(e, "modalias"),
            NumaNode = Math.Max(0, Int(e, "numa_node")),
        };
    }

    private static UsbDeviceResource? Usb(JsonElement e)
    {
        var vendor = Text(e, "vendor_id").ToLowerInvariant();
        var product = Text(e, "product_id").ToLowerInvariant();
        if (!HexIdPattern().IsMatch(vendor) || !HexIdPattern().IsMatch(product))
            return null;
        return new UsbDeviceResource
        {
            BusNumber = Int(e, "bus_number"),
            DeviceNumber = Int(e, "device_number"),
            VendorId = vendor,
            ProductId = product,
            VendorName = Text(e, "vendor_name"),
            ProductName = Text(e, "product_name"),
            Driver = Text(e, "driver"),
            Modalias = Text(e, "modalias"),
        };
    }

    private static JsonElement Section(JsonElement root, string name) =>
        root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object
            ? section
            : throw Fail($"the \"{name}\" section is missing");

    private static List<JsonElement> Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : throw Fail($"the \"{name}\" list is missing");

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : 0;

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static CommissioningOutputException Fail(string message, Exception? inner = null) => new(ScriptName, message, inner);

    [GeneratedRegex("^[a-z0-9]+$")]
    private static partial Regex ArchitecturePattern();

    [GeneratedRegex("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")]
    private static partial Regex MacPattern();

    [GeneratedRegex("^[0-9a-f]{4}$")]
    private static partial Regex HexIdPattern();
}
