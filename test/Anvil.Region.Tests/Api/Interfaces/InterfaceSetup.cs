using System.Text.Json;
using Anvil.Region.Tests.Api.Machines;
using Anvil.Region.Tests.Api.Network;
using Anvil.Region.Tests.Support;
using Dapper;

namespace Anvil.Region.Tests.Api.Interfaces;

/// <summary>Machines with interfaces, and fabrics/VLANs/subnets written with SQL, for the interfaces tests.</summary>
internal sealed class InterfaceSetup(RegionTestHost host)
{
    public MachineSetup Machines { get; } = new(host);

    public IpamSetup Ipam { get; } = new(host);

    public static string Path(string systemId) => $"nodes/{systemId}/interfaces/";

    public static string Path(string systemId, long id) => $"nodes/{systemId}/interfaces/{id}/";

    /// <summary>A Ready machine; returns its system_id and the id of its boot interface (eth0).</summary>
    public async Task<(string SystemId, long Eth0)> ReadyMachineAsync(TestUser admin)
    {
        var systemId = await Machines.CreateReadyAsync(admin);
        return (systemId, (await Machines.InterfaceIdsAsync(systemId))[0]);
    }

    public static async Task<long> CreatePhysicalAsync(TestUser admin, string systemId, params (string Key, string Value)[] fields)
    {
        var json = await (await admin.Client.PostOpAsync(Path(systemId), "create_physical", [("mac_address", MachineSetup.NewMac()), .. fields])).ShouldBeJsonAsync();
        return json.GetProperty("id").GetInt64();
    }

    /// <summary>A new fabric with its untagged VLAN (id returned) and a tagged VLAN with <paramref name="vid"/>.</summary>
    public async Task<(string Fabric, long Untagged, long Tagged)> FabricAsync(int vid = 100, string? space = null) =>
        await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var name = RegionTestHost.Unique("fab");
                long? spaceId = null;
                if (space is not null)
                    spaceId = await c.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO space (name) VALUES (@space) RETURNING id", new { space }, tx));
                var fabricId = await c.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO fabric (name, class_type) VALUES (@name, '10g') RETURNING id", new { name }, tx));
                var untagged = await c.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO vlan (fabric_id, vid, space_id) VALUES (@fabricId, 0, @spaceId) RETURNING id", new { fabricId, spaceId }, tx));
                var tagged = await c.ExecuteScalarAsync<long>(new CommandDefinition("INSERT INTO vlan (fabric_id, vid, space_id) VALUES (@fabricId, @vid, @spaceId) RETURNING id", new { fabricId, vid, spaceId }, tx));
                return (name, untagged, tagged);
            },
            CancellationToken.None);

    /// <summary>A /28 subnet on <paramref name="vlanId"/> with its gateway at .1; returns its id and CIDR.</summary>
    public async Task<(long Id, string Cidr)> SubnetAsync(long vlanId, bool gateway = true)
    {
        var cidr = IpamSetup.NextV4(28);
        var id = await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO subnet (name, vlan_id, cidr, gateway_ip) VALUES (@name, @vlanId, @cidr::cidr, @gateway::inet) RETURNING id",
                new { name = cidr.ToString(), vlanId, cidr = cidr.ToString(), gateway = gateway ? IpamSetup.At(cidr, 1).ToString() : null },
                tx)),
            CancellationToken.None);
        return (id, cidr.ToString());
    }

    public static string At(string cidr, uint offset) => IpamSetup.At(Anvil.Domain.Ipam.IpNetwork.Parse(cidr), offset).ToString();

    public static async Task<JsonElement> ReadAsync(TestUser user, string systemId, long id) =>
        await (await user.Client.GetAsync(Path(systemId, id))).ShouldBeJsonAsync();
}
