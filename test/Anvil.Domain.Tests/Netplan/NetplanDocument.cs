using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Anvil.Domain.Tests.Netplan;

/// <summary>
/// Netplan's schema, as far as the renderer uses it, for reading output back. Unknown keys fail the
/// read, so a misspelt or misplaced key in a rendering (or a golden file) cannot pass unnoticed.
/// </summary>
internal sealed class NetplanDocument
{
    public NetworkSection Network { get; set; } = null!;

    public static NetplanDocument Parse(string yaml) =>
        new DeserializerBuilder()
            .WithNamingConvention(HyphenatedNamingConvention.Instance)
            .Build()
            .Deserialize<NetplanDocument>(yaml);
}

internal sealed class NetworkSection
{
    public int Version { get; set; }
    public Dictionary<string, EthernetDevice>? Ethernets { get; set; }
    public Dictionary<string, BondDevice>? Bonds { get; set; }
    public Dictionary<string, BridgeDevice>? Bridges { get; set; }
    public Dictionary<string, VlanDevice>? Vlans { get; set; }
}

internal abstract class Device
{
    public int? Mtu { get; set; }
    public bool? AcceptRa { get; set; }
    public bool? Dhcp4 { get; set; }
    public bool? Dhcp6 { get; set; }
    public List<string>? Addresses { get; set; }
    public string? Gateway4 { get; set; }
    public string? Gateway6 { get; set; }
    public List<RouteEntry>? Routes { get; set; }
    public Nameservers? Nameservers { get; set; }
}

internal sealed class EthernetDevice : Device
{
    public MatchRule Match { get; set; } = null!;
    public string SetName { get; set; } = null!;
}

internal sealed class MatchRule
{
    public string Macaddress { get; set; } = null!;
}

internal sealed class BondDevice : Device
{
    public List<string> Interfaces { get; set; } = null!;
    public string? Macaddress { get; set; }
    public BondParameters? Parameters { get; set; }
}

internal sealed class BondParameters
{
    public string Mode { get; set; } = null!;
    public string? LacpRate { get; set; }
    public int? MiiMonitorInterval { get; set; }
    public int? UpDelay { get; set; }
    public int? DownDelay { get; set; }
    public string? TransmitHashPolicy { get; set; }
    public int? GratuitiousArp { get; set; }
}

internal sealed class BridgeDevice : Device
{
    public List<string> Interfaces { get; set; } = null!;
    public string? Macaddress { get; set; }
    public BridgeParameters? Parameters { get; set; }
    public Dictionary<string, string>? Openvswitch { get; set; }
}

internal sealed class BridgeParameters
{
    public bool Stp { get; set; }
    public int? ForwardDelay { get; set; }
}

internal sealed class VlanDevice : Device
{
    public int Id { get; set; }
    public string Link { get; set; } = null!;
}

internal sealed class RouteEntry
{
    public string To { get; set; } = null!;
    public string Via { get; set; } = null!;
    public int Metric { get; set; }
}

internal sealed class Nameservers
{
    public List<string>? Addresses { get; set; }
    public List<string>? Search { get; set; }
}
