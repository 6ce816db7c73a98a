using Anvil.Data.Network;
using Anvil.Region.Api.Network.Dto;
using Anvil.Region.Api.Resources;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// Renders VLANs and subnets with their nested objects. It holds every VLAN (there are few), so
/// a relay VLAN or a subnet's VLAN is a dictionary lookup, not a query per object.
/// </summary>
internal sealed class NetworkRenderer
{
    public const string UndefinedSpace = "undefined";

    private readonly Dictionary<long, VlanRecord> _vlans;

    private NetworkRenderer(IEnumerable<VlanRecord> vlans)
    {
        _vlans = vlans.ToDictionary(v => v.Id);
    }

    public static async Task<NetworkRenderer> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct) =>
        new(await VlanStore.ListAsync(c, tx, ct));

    /// <summary>A renderer over VLANs the caller already read (a machine listing's snapshot).</summary>
    public static NetworkRenderer Of(IEnumerable<VlanRecord> vlans) => new(vlans);

    public VlanDto Vlan(VlanRecord vlan) => Vlan(vlan, depth: 0);

    public VlanDto Vlan(long id) => Vlan(_vlans[id]);

    public SubnetDto Subnet(SubnetRecord subnet)
    {
        var vlan = _vlans[subnet.VlanId];
        return new SubnetDto(
            subnet.Name,
            subnet.Description,
            Vlan(vlan),
            subnet.Cidr,
            subnet.RdnsMode,
            subnet.GatewayIp,
            subnet.DnsServers,
            subnet.AllowDns,
            subnet.AllowProxy,
            subnet.ActiveDiscovery,
            subnet.Managed,
            subnet.DisabledBootArchitectures,
            vlan.SpaceName ?? UndefinedSpace,
            subnet.Id,
            ResourceUris.Item("subnets", subnet.Id));
    }

    /// <summary>MAAS's VLAN name: "untagged" for a fabric's default VLAN, else its name, else its vid.</summary>
    public static string NameOf(VlanRecord vlan) => vlan.IsDefault ? "untagged" : vlan.Name ?? vlan.Vid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Relays cannot chain (a relay target has no relay itself), so the depth guard only protects
    // against rows written around the API.
    private VlanDto Vlan(VlanRecord vlan, int depth) => new(
        vlan.Vid,
        vlan.Mtu,
        vlan.DhcpOn,
        vlan.ExternalDhcp,
        depth < 2 && vlan.RelayVlanId is { } relay && _vlans.TryGetValue(relay, out var relayVlan) ? Vlan(relayVlan, depth + 1) : null,
        vlan.FabricName,
        vlan.FabricId,
        vlan.PrimaryRack,
        vlan.SecondaryRack,
        vlan.SpaceName ?? UndefinedSpace,
        NameOf(vlan),
        vlan.Id,
        ResourceUris.Item("vlans", vlan.Id));
}
