namespace Anvil.Domain.Commissioning;

/// <summary>
/// What the <c>20-maas-03-machine-resources</c> script reports (format <c>anvil-resources</c>,
/// version 1): the facts commissioning fills a machine's fields with.
/// </summary>
public sealed record MachineResources
{
    /// <summary>Debian architecture name, e.g. <c>amd64</c>.</summary>
    public required string Architecture { get; init; }

    public bool IsVirtual { get; init; }

    /// <summary><c>uefi</c> or <c>bios</c>: how the machine booted the environment; null when the report predates it.</summary>
    public string? Firmware { get; init; }

    public required CpuResources Cpu { get; init; }

    public long MemoryBytes { get; init; }

    /// <summary>DMI values keyed by MAAS's hardware_info names, plus <c>system_uuid</c>; empty values left out.</summary>
    public required IReadOnlyDictionary<string, string> Dmi { get; init; }

    public IReadOnlyList<DiskResource> Disks { get; init; } = [];

    public IReadOnlyList<NicResource> Nics { get; init; } = [];

    public IReadOnlyList<PciDeviceResource> PciDevices { get; init; } = [];

    public IReadOnlyList<UsbDeviceResource> UsbDevices { get; init; } = [];
}

public sealed record CpuResources(string Model, int Count, int SpeedMhz);

public sealed record DiskResource
{
    public required string Name { get; init; }
    public string Path { get; init; } = "";
    public string IdPath { get; init; } = "";
    public string Model { get; init; } = "";
    public string Serial { get; init; } = "";
    public long Size { get; init; }
    public int BlockSize { get; init; } = 512;
    public bool Rotational { get; init; }
    public bool Removable { get; init; }
    public string FirmwareVersion { get; init; } = "";
    public int NumaNode { get; init; }
}

public sealed record NicResource
{
    public required string Name { get; init; }

    /// <summary>Lower-case, colon separated.</summary>
    public required string Mac { get; init; }

    public string Driver { get; init; } = "";
    public string PciAddress { get; init; } = "";
    public string VendorId { get; init; } = "";
    public string ProductId { get; init; } = "";
    public bool Link { get; init; }
    public int SpeedMbps { get; init; }
    public int Mtu { get; init; } = 1500;
    public int SriovMaxVf { get; init; }
    public int NumaNode { get; init; }
}

public sealed record PciDeviceResource
{
    /// <summary>Domain:bus:device.function, e.g. <c>0000:00:1f.2</c>.</summary>
    public required string Address { get; init; }

    /// <summary>Four lower-case hex digits.</summary>
    public required string VendorId { get; init; }

    public required string ProductId { get; init; }

    /// <summary>Six hex digits: class, subclass, programming interface.</summary>
    public string Class { get; init; } = "";

    public string Driver { get; init; } = "";
    public string Modalias { get; init; } = "";
    public int NumaNode { get; init; }
}

public sealed record UsbDeviceResource
{
    public int BusNumber { get; init; }
    public int DeviceNumber { get; init; }
    public required string VendorId { get; init; }
    public required string ProductId { get; init; }
    public string VendorName { get; init; } = "";
    public string ProductName { get; init; } = "";
    public string Driver { get; init; } = "";
    public string Modalias { get; init; } = "";
}
