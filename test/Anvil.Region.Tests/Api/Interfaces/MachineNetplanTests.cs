using Anvil.Domain.Netplan;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Interfaces;

public sealed class MachineNetplanTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly InterfaceSetup _setup = new(host);

    [Fact]
    public async Task A_bond_with_a_vlan_configured_through_the_api_renders_as_netplan()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, eth0) = await _setup.ReadyMachineAsync(admin);
        var (_, untagged, tagged) = await _setup.FabricAsync(vid: 200);
        var (untaggedSubnet, untaggedCidr) = await _setup.SubnetAsync(untagged);
        var (taggedSubnet, taggedCidr) = await _setup.SubnetAsync(tagged);
        await (await admin.Client.PutAsync(InterfaceSetup.Path(systemId, eth0), ("vlan", untagged.ToString()))).ShouldBeJsonAsync();
        var eth1 = await InterfaceSetup.CreatePhysicalAsync(admin, systemId, ("vlan", untagged.ToString()));
        var bond = (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_bond",
            ("name", "bond0"), ("parents", eth0.ToString()), ("parents", eth1.ToString()), ("bond_mode", "802.3ad"), ("bond_lacp_rate", "fast"))).ShouldBeJsonAsync()).GetProperty("id").GetInt64();
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, bond), "link_subnet",
            ("mode", "STATIC"), ("subnet", untaggedSubnet.ToString()), ("ip_address", InterfaceSetup.At(untaggedCidr, 10)), ("default_gateway", "true"))).ShouldBeJsonAsync();
        var vlan = (await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId), "create_vlan", ("parent", bond.ToString()), ("vlan", tagged.ToString()))).ShouldBeJsonAsync()).GetProperty("id").GetInt64();
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(systemId, vlan), "link_subnet",
            ("mode", "STATIC"), ("subnet", taggedSubnet.ToString()), ("ip_address", InterfaceSetup.At(taggedCidr, 11)))).ShouldBeJsonAsync();

        var network = await host.Database.ReadAsync(c => MachineNetplan.LoadAsync(c, null, systemId, CancellationToken.None), CancellationToken.None);
        var yaml = NetplanRenderer.Render(network!);

        var eth0Mac = (await InterfaceSetup.ReadAsync(admin, systemId, eth0)).GetProperty("mac_address").GetString();
        yaml.ShouldContain("  ethernets:\n    eth0:\n");
        yaml.ShouldContain("    eth1:\n");
        yaml[yaml.IndexOf("  bonds:", StringComparison.Ordinal)..].ShouldBe(
            $$"""
              bonds:
                bond0:
                  interfaces:
                    - eth0
                    - eth1
                  macaddress: "{{eth0Mac}}"
                  mtu: 1500
                  parameters:
                    mode: "802.3ad"
                    lacp-rate: fast
                    mii-monitor-interval: 100
                    up-delay: 0
                    down-delay: 0
                    transmit-hash-policy: layer2
                    gratuitious-arp: 1
                  addresses:
                    - {{InterfaceSetup.At(untaggedCidr, 10)}}/28
                  gateway4: {{InterfaceSetup.At(untaggedCidr, 1)}}
                  nameservers:
                    search:
                      - maas
              vlans:
                bond0.200:
                  id: 200
                  link: bond0
                  mtu: 1500
                  addresses:
                    - {{InterfaceSetup.At(taggedCidr, 11)}}/28
                  nameservers:
                    search:
                      - maas

            """);
    }
}
