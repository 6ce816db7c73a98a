using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Interfaces;

/// <summary>
/// The network constraints of allocate (maas-api.md §6) against networks configured through the
/// interfaces API. Two machines in a pool of their own: one linked to a subnet of a fabric in a
/// space, with a fast link; the other only on the default fabric.
/// </summary>
public sealed class NetworkConstraintTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly InterfaceSetup _setup = new(host);

    private sealed record World(TestUser Admin, string Pool, string Linked, string Other, string Fabric, string Space, long Subnet, string Cidr, long Vlan, long OtherSubnet);

    private async Task<World> WorldAsync()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var pool = await _setup.Machines.NewPoolAsync();
        var linked = await _setup.Machines.CreateReadyAsync(admin, pool: pool);
        var other = await _setup.Machines.CreateReadyAsync(admin, pool: pool);
        var space = RegionTestHost.Unique("space");
        var (fabric, untagged, _) = await _setup.FabricAsync(space: space);
        var (subnet, cidr) = await _setup.SubnetAsync(untagged);
        var (otherSubnet, _) = await _setup.SubnetAsync(5001);
        var linkedNic = (await _setup.Machines.InterfaceIdsAsync(linked))[0];
        var otherNic = (await _setup.Machines.InterfaceIdsAsync(other))[0];
        await (await admin.Client.PutAsync(InterfaceSetup.Path(linked, linkedNic), ("link_speed", "10000"))).ShouldBeJsonAsync();
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(linked, linkedNic), "link_subnet", ("mode", "STATIC"), ("subnet", subnet.ToString()))).ShouldBeJsonAsync();
        await (await admin.Client.PostOpAsync(InterfaceSetup.Path(other, otherNic), "link_subnet", ("mode", "AUTO"), ("subnet", otherSubnet.ToString()))).ShouldBeJsonAsync();
        return new World(admin, pool, linked, other, fabric, space, subnet, cidr, untagged, otherSubnet);
    }

    private static async Task<string> AllocateAsync(World w, params (string, string)[] constraints)
    {
        var machine = await (await w.Admin.Client.PostOpAsync("machines/", "allocate", [("pool", w.Pool), ("dry_run", "true"), .. constraints])).ShouldBeJsonAsync();
        return machine.GetProperty("system_id").GetString()!;
    }

    [Fact]
    public async Task Subnets_and_not_subnets_match_linked_subnets_by_id_and_cidr()
    {
        var w = await WorldAsync();
        (await AllocateAsync(w, ("subnets", w.Subnet.ToString()))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("subnets", $"cidr:{w.Cidr}"))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("not_subnets", w.Subnet.ToString()))).ShouldBe(w.Other);
    }

    [Fact]
    public async Task Fabrics_and_not_fabrics_match_the_interfaces_vlans_fabric()
    {
        var w = await WorldAsync();
        (await AllocateAsync(w, ("fabrics", w.Fabric))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("not_fabrics", w.Fabric))).ShouldBe(w.Other);
        (await AllocateAsync(w, ("fabric_classes", "10g"))).ShouldBe(w.Linked);
    }

    [Fact]
    public async Task Vlans_match_by_id_specifier()
    {
        var w = await WorldAsync();
        (await AllocateAsync(w, ("vlans", $"id:{w.Vlan}"))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("not_vlans", $"id:{w.Vlan}"))).ShouldBe(w.Other);
    }

    [Fact]
    public async Task Spaces_match_through_subnet_and_interface_label_constraints()
    {
        var w = await WorldAsync();
        (await AllocateAsync(w, ("subnets", $"space:{w.Space}"))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("interfaces", $"eth0:space={w.Space}"))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("interfaces", $"eth0:subnet=cidr:{w.Cidr}"))).ShouldBe(w.Linked);
        (await AllocateAsync(w, ("interfaces", $"eth0:not_space={w.Space}"))).ShouldBe(w.Other);
    }

    [Fact]
    public async Task Link_speed_needs_an_interface_at_least_that_fast()
    {
        var w = await WorldAsync();
        (await AllocateAsync(w, ("link_speed", "10000"))).ShouldBe(w.Linked);
        (await w.Admin.Client.PostOpAsync("machines/", "allocate", ("pool", w.Pool), ("dry_run", "true"), ("link_speed", "40000"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Read_filters_machines_by_subnet_too()
    {
        var w = await WorldAsync();
        var listed = await (await w.Admin.Client.GetAsync("machines/", ("subnets", w.Subnet.ToString()))).ShouldBeJsonAsync();
        listed.EnumerateArray().Select(m => m.GetProperty("system_id").GetString()).ShouldBe([w.Linked]);
    }
}
