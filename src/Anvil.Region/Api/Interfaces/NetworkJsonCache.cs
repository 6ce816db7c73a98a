using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network;

namespace Anvil.Region.Api.Interfaces;

/// <summary>
/// The nested VLAN and subnet objects of interfaces and links, each rendered once per listing:
/// ten thousand machines share a handful of VLANs and subnets, and copying their bytes is far
/// cheaper than rendering them again for every interface.
/// </summary>
internal sealed class NetworkJsonCache
{
    private readonly Dictionary<long, byte[]> _vlans = [];
    private readonly Dictionary<long, byte[]> _subnets = [];
    private NetworkSnapshot? _snapshot;
    private NetworkRenderer? _renderer;

    public byte[]? Vlan(NetworkSnapshot snapshot, long id)
    {
        Use(snapshot);
        if (_vlans.TryGetValue(id, out var bytes))
            return bytes;
        if (!snapshot.Vlans.TryGetValue(id, out var vlan))
            return null;
        return _vlans[id] = JsonSerializer.SerializeToUtf8Bytes(_renderer!.Vlan(vlan), ApiJson.Options);
    }

    public byte[]? Subnet(NetworkSnapshot snapshot, long id)
    {
        Use(snapshot);
        if (_subnets.TryGetValue(id, out var bytes))
            return bytes;
        if (!snapshot.Subnets.TryGetValue(id, out var subnet) || !snapshot.Vlans.ContainsKey(subnet.VlanId))
            return null;
        return _subnets[id] = JsonSerializer.SerializeToUtf8Bytes(_renderer!.Subnet(subnet), ApiJson.Options);
    }

    private void Use(NetworkSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot, _snapshot))
            return;
        _snapshot = snapshot;
        _renderer = NetworkRenderer.Of(snapshot.Vlans.Values);
        _vlans.Clear();
        _subnets.Clear();
    }
}
