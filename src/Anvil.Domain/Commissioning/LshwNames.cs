using System.Xml.Linq;

namespace Anvil.Domain.Commissioning;

/// <summary>
/// Vendor and product names from lshw (the resources script has only numeric ids): per PCI
/// address for node devices, per MAC for NICs.
/// </summary>
public sealed class LshwNames
{
    private LshwNames(IReadOnlyDictionary<string, DeviceNames> byPciAddress, IReadOnlyDictionary<string, DeviceNames> byMac)
    {
        ByPciAddress = byPciAddress;
        ByMac = byMac;
    }

    public static LshwNames Empty { get; } = new(new Dictionary<string, DeviceNames>(), new Dictionary<string, DeviceNames>());

    /// <summary>Keyed by <c>0000:00:1f.2</c>.</summary>
    public IReadOnlyDictionary<string, DeviceNames> ByPciAddress { get; }

    /// <summary>Keyed by lower-case MAC.</summary>
    public IReadOnlyDictionary<string, DeviceNames> ByMac { get; }

    /// <summary>Reads a stored (normalised) lshw document; an unreadable one gives no names.</summary>
    public static LshwNames From(string? lshwXml)
    {
        if (string.IsNullOrWhiteSpace(lshwXml))
            return Empty;
        XElement root;
        try
        {
            root = XElement.Parse(lshwXml);
        }
        catch (System.Xml.XmlException)
        {
            return Empty;
        }

        var byPci = new Dictionary<string, DeviceNames>(StringComparer.Ordinal);
        var byMac = new Dictionary<string, DeviceNames>(StringComparer.Ordinal);
        foreach (var node in root.Descendants("node"))
        {
            var names = new DeviceNames(
                (string?)node.Element("vendor") ?? "",
                (string?)node.Element("product") ?? "",
                node.Element("configuration")?.Elements("setting").FirstOrDefault(s => (string?)s.Attribute("id") == "firmware")?.Attribute("value")?.Value ?? "");
            var businfo = (string?)node.Element("businfo") ?? "";
            if (businfo.StartsWith("pci@", StringComparison.Ordinal))
                byPci.TryAdd(businfo[4..].ToLowerInvariant(), names);
            if ((string?)node.Attribute("class") == "network" && (string?)node.Element("serial") is { Length: 17 } mac)
                byMac.TryAdd(mac.ToLowerInvariant(), names);
        }

        return new LshwNames(byPci, byMac);
    }
}

public sealed record DeviceNames(string Vendor, string Product, string Firmware);
