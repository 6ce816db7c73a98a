using System.Net;
using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Domain.Netplan;
using Dapper;
using Npgsql;
using NetplanInterfaceType = Anvil.Domain.Netplan.InterfaceType;

namespace Anvil.Region.Api.Interfaces;

/// <summary>
/// Builds the netplan model of a machine from what the interfaces API stored: its interfaces with
/// their hierarchy, bond/bridge parameters and links, the region's static routes, and its domain
/// first among the search domains. <see cref="NetplanRenderer.Render"/> turns the result into YAML.
/// </summary>
public static class MachineNetplan
{
    /// <summary>The machine's network, or null when there is no such node.</summary>
    public static async Task<MachineNetwork?> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, CancellationToken ct)
    {
        var view = (await MachineStore.ListAsync(c, tx, new MachineQuery { SystemIds = [systemId], NodeType = null }, ct)).SingleOrDefault();
        if (view is null)
            return null;
        var routes = await c.QueryAsync<(string Source, string Destination, string Gateway, int Metric)>(new CommandDefinition(
            """
            SELECT s.cidr::text, d.cidr::text, host(r.gateway_ip), r.metric
            FROM staticroute r JOIN subnet s ON s.id = r.source_id JOIN subnet d ON d.id = r.destination_id
            ORDER BY r.id
            """,
            transaction: tx,
            cancellationToken: ct));
        var domains = await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM domain ORDER BY name", transaction: tx, cancellationToken: ct));
        return new MachineNetwork
        {
            Interfaces = [.. view.Interfaces.Where(i => TypeOf(i.Type) is not null).Select(i => Interface(view, i))],
            Routes = [.. routes.Select(r => new StaticRouteConfig { Source = IPNetwork.Parse(r.Source), Destination = IPNetwork.Parse(r.Destination), Gateway = IPAddress.Parse(r.Gateway), Metric = r.Metric })],
            SearchDomains = [view.DomainName, .. domains.Where(d => d != view.DomainName)],
        };
    }

    private static NetplanInterfaceType? TypeOf(string type) => type switch
    {
        "physical" => NetplanInterfaceType.Physical,
        "bond" => NetplanInterfaceType.Bond,
        "bridge" => NetplanInterfaceType.Bridge,
        "vlan" => NetplanInterfaceType.Vlan,
        _ => null,
    };

    private static InterfaceConfig Interface(MachineView m, InterfaceView nic)
    {
        var type = TypeOf(nic.Type)!.Value;
        using var stored = JsonDocument.Parse(nic.Params);
        var p = stored.RootElement;
        return new InterfaceConfig
        {
            Name = nic.Name,
            Type = type,
            MacAddress = nic.MacAddress,
            Mtu = InterfaceJson.EffectiveMtu(m, nic),
            Parents = nic.Parents,
            VlanId = type == NetplanInterfaceType.Vlan && nic.VlanId is { } vlanId && m.Network.Vlans.TryGetValue(vlanId, out var vlan) ? vlan.Vid : null,
            Bond = type == NetplanInterfaceType.Bond ? Bond(p) : null,
            Bridge = type == NetplanInterfaceType.Bridge ? Bridge(p) : null,
            AcceptRa = nic.AcceptRa,
            Enabled = nic.Enabled,
            Links = [.. InterfaceLinks.Links(nic).Select(a => Link(m, nic, a))],
        };
    }

    private static LinkConfig Link(MachineView m, InterfaceView nic, InterfaceAddressView a)
    {
        var subnet = a.SubnetId is { } id && m.Network.Subnets.TryGetValue(id, out var s) ? s : null;
        return new LinkConfig
        {
            Mode = InterfaceLinks.ModeOf(a) switch
            {
                InterfaceLinks.Auto => LinkMode.Auto,
                InterfaceLinks.Static => LinkMode.Static,
                InterfaceLinks.Dhcp => LinkMode.Dhcp,
                _ => LinkMode.LinkUp,
            },
            Address = a.Ip is null ? null : IPAddress.Parse(a.Ip),
            Subnet = subnet is null
                ? null
                : new SubnetConfig
                {
                    Cidr = IPNetwork.Parse(subnet.Cidr),
                    Gateway = subnet.GatewayIp is null ? null : IPAddress.Parse(subnet.GatewayIp),
                    DnsServers = [.. subnet.DnsServers.Select(IPAddress.Parse)],
                },
            IsDefaultGateway = a.Id == nic.DefaultGatewayV4IpId || a.Id == nic.DefaultGatewayV6IpId,
        };
    }

    private static BondConfig Bond(JsonElement p) => new()
    {
        Mode = Text(p, "bond_mode") switch
        {
            "active-backup" => BondMode.ActiveBackup,
            "balance-xor" => BondMode.BalanceXor,
            "broadcast" => BondMode.Broadcast,
            "802.3ad" => BondMode.Ieee8023ad,
            "balance-tlb" => BondMode.BalanceTlb,
            "balance-alb" => BondMode.BalanceAlb,
            _ => BondMode.BalanceRr,
        },
        MiiMonitorInterval = Number(p, "bond_miimon") ?? 100,
        DownDelay = Number(p, "bond_downdelay") ?? 0,
        UpDelay = Number(p, "bond_updelay") ?? 0,
        LacpRate = Text(p, "bond_lacp_rate") == "fast" ? BondLacpRate.Fast : BondLacpRate.Slow,
        XmitHashPolicy = Text(p, "bond_xmit_hash_policy") switch
        {
            "layer2+3" => BondXmitHashPolicy.Layer2Plus3,
            "layer3+4" => BondXmitHashPolicy.Layer3Plus4,
            "encap2+3" => BondXmitHashPolicy.Encap2Plus3,
            "encap3+4" => BondXmitHashPolicy.Encap3Plus4,
            _ => BondXmitHashPolicy.Layer2,
        },
        NumGratArp = Number(p, "bond_num_grat_arp") ?? 1,
    };

    private static BridgeConfig Bridge(JsonElement p) => new()
    {
        Type = Text(p, "bridge_type") == "ovs" ? BridgeType.Ovs : BridgeType.Standard,
        Stp = p.TryGetProperty("bridge_stp", out var stp) && stp.ValueKind == JsonValueKind.True,
        ForwardDelay = Number(p, "bridge_fd") ?? 15,
    };

    private static string? Text(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Number(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
