using Anvil.Data.Network;

namespace Anvil.Data.Machines;

/// <summary>All VLANs and subnets at the time of a listing; there are few, so one read serves every machine.</summary>
public sealed class NetworkSnapshot(IEnumerable<VlanRecord> vlans, IEnumerable<SubnetRecord> subnets)
{
    public static NetworkSnapshot Empty { get; } = new([], []);

    public IReadOnlyDictionary<long, VlanRecord> Vlans { get; } = vlans.ToDictionary(v => v.Id);

    public IReadOnlyDictionary<long, SubnetRecord> Subnets { get; } = subnets.ToDictionary(s => s.Id);
}
