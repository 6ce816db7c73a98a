namespace Anvil.Domain.Allocation;

/// <summary>
/// Applies <see cref="MachineConstraints"/> to candidates. All constraints are AND-ed; storage and
/// interfaces are checked last because they are the expensive ones.
/// </summary>
public static class ConstraintMatcher
{
    /// <summary>Null when <paramref name="machine"/> does not satisfy the constraints, else how it does.</summary>
    public static ConstraintMatch? Match(MachineConstraints constraints, MachineCandidate machine)
    {
        if (!MatchesSimple(constraints, machine))
            return null;
        List<StorageAssignment>? storage = null;
        if (constraints.Storage is { } storageConstraints)
        {
            storage = [];
            if (!AssignStorage(storageConstraints, machine, storage))
                return null;
        }
        var interfaces = new List<KeyValuePair<string, IReadOnlyList<long>>>(constraints.InterfaceLabels.Length);
        foreach (var label in constraints.InterfaceLabels)
        {
            var ids = new List<long>();
            foreach (var iface in machine.Interfaces)
            {
                if (label.Matches(machine, iface))
                    ids.Add(iface.Id);
            }
            if (ids.Count == 0)
                return null;
            ids.Sort();
            interfaces.Add(new(label.Label, ids));
        }
        return new ConstraintMatch
        {
            MachineId = machine.Id,
            Storage = storage ?? [],
            Interfaces = interfaces,
            StorageGiven = constraints.Storage is not null,
            InterfacesGiven = constraints.Interfaces is not null,
        };
    }

    /// <summary>Whether <paramref name="machine"/> satisfies the constraints, without building the mappings.</summary>
    public static bool Matches(MachineConstraints constraints, MachineCandidate machine)
    {
        if (!MatchesSimple(constraints, machine))
            return false;
        if (constraints.Storage is { } storage && !AssignStorage(storage, machine, null))
            return false;
        foreach (var label in constraints.InterfaceLabels)
        {
            var any = false;
            foreach (var iface in machine.Interfaces)
            {
                if (label.Matches(machine, iface))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
                return false;
        }
        return true;
    }

    /// <summary>The candidates that match, in the given order.</summary>
    public static IEnumerable<MachineCandidate> Filter(MachineConstraints constraints, IEnumerable<MachineCandidate> candidates) =>
        candidates.Where(c => Matches(constraints, c));

    /// <summary>MAAS's allocation order: cheapest first by <c>cpu_count + memory/1024</c>, then by id.</summary>
    public static IReadOnlyList<MachineCandidate> OrderByCost(IEnumerable<MachineCandidate> candidates) =>
        [.. candidates.OrderBy(Cost).ThenBy(c => c.Id)];

    public static double Cost(MachineCandidate machine) => machine.CpuCount + (machine.Memory / 1024d);

    /// <summary>
    /// The machine <c>op=allocate</c> takes from <paramref name="candidates"/> (which the caller has
    /// already limited to READY machines the user may edit): the cheapest match, or null.
    /// </summary>
    public static (MachineCandidate Machine, ConstraintMatch Match)? SelectForAllocation(
        MachineConstraints constraints, IEnumerable<MachineCandidate> candidates)
    {
        foreach (var candidate in OrderByCost(candidates))
        {
            if (Match(constraints, candidate) is { } match)
                return (candidate, match);
        }
        return null;
    }

    private static bool MatchesSimple(MachineConstraints c, MachineCandidate m)
    {
        if (c.Names is { } names)
        {
            foreach (var name in names)
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                var ok = dot < 0
                    ? m.Hostname == name
                    : m.Hostname == name[..dot] && m.DomainName == name[(dot + 1)..];
                if (!ok)
                    return false;
            }
        }
        if (!In(c.SystemIds, m.SystemId) || !In(c.Ids, m.SystemId) || NotIn(c.NotIds, m.SystemId))
            return false;
        if (!ArchitectureMatches(c.Architectures, c.ArchitecturePrimaries, m.Architecture, whenNotGiven: true)
            || ArchitectureMatches(c.NotArchitectures, c.NotArchitecturePrimaries, m.Architecture, whenNotGiven: false))
            return false;
        if (c.MinCpuCount is { } cpu && m.CpuCount < cpu)
            return false;
        if (c.MinCpuSpeed is { } speed && m.CpuSpeed < speed)
            return false;
        if (c.MinMemory is { } mem && m.Memory < mem)
            return false;
        if (c.Tags is { } tags)
        {
            foreach (var tag in tags)
            {
                if (!Contains(m.Tags, tag))
                    return false;
            }
        }
        if (c.NotTags is { } notTags)
        {
            foreach (var tag in m.Tags)
            {
                if (notTags.Contains(tag))
                    return false;
            }
        }
        if (!In(c.Zones, m.ZoneName) || NotIn(c.NotInZones, m.ZoneName))
            return false;
        if (!In(c.Pools, m.PoolName) || NotIn(c.NotInPools, m.PoolName))
            return false;
        if (!In(c.Hostnames, m.Hostname) || NotIn(c.NotHostnames, m.Hostname))
            return false;
        if (!In(c.Domains, m.DomainName) || NotIn(c.NotDomains, m.DomainName))
            return false;
        if (!In(c.AgentNames, m.AgentName) || NotIn(c.NotAgentNames, m.AgentName))
            return false;
        if (c.Owners is { } owners && (m.OwnerName is null || !owners.Contains(m.OwnerName)))
            return false;
        if (c.NotOwners is { } notOwners && m.OwnerName is not null && notOwners.Contains(m.OwnerName))
            return false;
        if (!In(c.PowerStates, m.PowerState) || NotIn(c.NotPowerStates, m.PowerState))
            return false;
        var target = m.EphemeralDeploy ? "memory" : "disk";
        if (!In(c.DeploymentTargets, target) || NotIn(c.NotDeploymentTargets, target))
            return false;
        if (c.Statuses is { } statuses && !statuses.Contains(m.Status))
            return false;
        if (c.NotStatuses is { } notStatuses && notStatuses.Contains(m.Status))
            return false;
        if (c.SimpleStatuses is { } simple && !simple.Contains(m.Status))
            return false;
        if (c.NotSimpleStatuses is { } notSimple && notSimple.Contains(m.Status))
            return false;
        return MatchesNetworks(c, m) && MatchesDevices(c, m);
    }

    // Loops rather than LINQ: this runs for every candidate, and lambdas capturing the machine allocate.
    private static bool MatchesNetworks(MachineConstraints c, MachineCandidate m)
    {
        if (c.Fabrics is { } fabrics && !AnyVlan(m, fabrics, static (v, set) => set.Contains(v.FabricName)))
            return false;
        if (c.NotFabrics is { } notFabrics && AnyVlan(m, notFabrics, static (v, set) => set.Contains(v.FabricName)))
            return false;
        if (c.FabricClasses is { } classes && !AnyVlan(m, classes, static (v, set) => v.FabricClassType is { } t && set.Contains(t)))
            return false;
        if (c.NotFabricClasses is { } notClasses && AnyVlan(m, notClasses, static (v, set) => v.FabricClassType is { } t && set.Contains(t)))
            return false;
        if (c.VlanIds is { } vlans && !AnyVlan(m, vlans, static (v, set) => set.Contains(v.Id)))
            return false;
        if (c.NotVlanIds is { } notVlans && AnyVlan(m, notVlans, static (v, set) => set.Contains(v.Id)))
            return false;
        if (c.MinLinkSpeed is { } linkSpeed && !AnyFasterThan(m, linkSpeed))
            return false;
        if (c.SubnetIds is { } subnets)
        {
            foreach (var id in subnets)
            {
                if (!LinkedTo(m, id))
                    return false;
            }
        }
        if (c.NotSubnetIds is { } notSubnets && LinkedToAny(m, notSubnets))
            return false;
        if (c.MacAddresses is { } macs && !HasMac(m, macs))
            return false;
        return true;
    }

    private static bool AnyVlan<TSet>(MachineCandidate m, TSet set, Func<VlanCandidate, TSet, bool> test)
    {
        foreach (var iface in m.Interfaces)
        {
            if (iface.Vlan is { } vlan && test(vlan, set))
                return true;
        }
        return false;
    }

    private static bool AnyFasterThan(MachineCandidate m, double speed)
    {
        foreach (var iface in m.Interfaces)
        {
            if (iface.LinkSpeed >= speed)
                return true;
        }
        return false;
    }

    private static bool LinkedTo(MachineCandidate m, long subnetId)
    {
        foreach (var iface in m.Interfaces)
        {
            foreach (var link in iface.Links)
            {
                if (link.SubnetId == subnetId)
                    return true;
            }
        }
        return false;
    }

    private static bool LinkedToAny(MachineCandidate m, IReadOnlySet<long> subnetIds)
    {
        foreach (var iface in m.Interfaces)
        {
            foreach (var link in iface.Links)
            {
                if (subnetIds.Contains(link.SubnetId))
                    return true;
            }
        }
        return false;
    }

    private static bool HasMac(MachineCandidate m, IReadOnlySet<string> macs)
    {
        foreach (var iface in m.Interfaces)
        {
            if (macs.Contains(iface.MacAddress))
                return true;
            if (MacAddressText.Normalize(iface.MacAddress) is { } normalized && macs.Contains(normalized))
                return true;
        }
        return false;
    }

    private static bool MatchesDevices(MachineConstraints c, MachineCandidate m)
    {
        if (c.Devices is not { } devices)
            return true;
        foreach (var device in m.Devices)
        {
            if (devices.Matches(device))
                return true;
        }
        return false;
    }

    private static bool In(IReadOnlySet<string>? set, string value) => set is null || set.Contains(value);

    private static bool NotIn(IReadOnlySet<string>? set, string value) => set is not null && set.Contains(value);

    private static bool ArchitectureMatches(IReadOnlySet<string>? exact, IReadOnlySet<string>? primaries, string architecture, bool whenNotGiven)
    {
        if (exact is null && primaries is null)
            return whenNotGiven;
        if (exact is not null && exact.Contains(architecture))
            return true;
        if (primaries is null || primaries.Count == 0)
            return false;
        var slash = architecture.IndexOf('/', StringComparison.Ordinal);
        return primaries.Contains(slash < 0 ? architecture : architecture[..slash]);
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (item == value)
                return true;
        }
        return false;
    }

    private static bool HasAll(IReadOnlyList<string> tags, IReadOnlyList<string> required)
    {
        foreach (var tag in required)
        {
            if (!Contains(tags, tag))
                return false;
        }
        return true;
    }

    /// <summary>
    /// MAAS's greedy assignment: the root item takes the device (or, with <c>partition</c>, the
    /// partition) holding '/'; every other item takes the smallest adequate unused device not yet
    /// taken. Fails when any item is left without a device.
    /// </summary>
    private static bool AssignStorage(StorageConstraints storage, MachineCandidate m, List<StorageAssignment>? result)
    {
        var taken = new List<(bool IsPartition, long Id)>(storage.MatchOrder.Count);
        var root = storage.MatchOrder[0];
        var rootFound = false;
        foreach (var disk in m.BlockDevices)
        {
            if (root.MatchesPartition)
            {
                foreach (var partition in disk.Partitions)
                {
                    if (partition.HoldsRoot && partition.Size >= root.MinimumSize && HasAll(partition.Tags, root.RequiredTags))
                    {
                        taken.Add((true, partition.Id));
                        result?.Add(new StorageAssignment(root.Label, true, partition.Id));
                        rootFound = true;
                        break;
                    }
                }
            }
            else if (disk.HoldsRoot && disk.Size >= root.MinimumSize && HasAll(disk.Tags, root.RequiredTags))
            {
                taken.Add((false, disk.Id));
                result?.Add(new StorageAssignment(root.Label, false, disk.Id));
                rootFound = true;
            }
            if (rootFound)
                break;
        }
        if (!rootFound)
            return false;

        for (var index = 1; index < storage.MatchOrder.Count; index++)
        {
            var item = storage.MatchOrder[index];
            (bool IsPartition, long Id, long Size)? best = null;
            foreach (var disk in m.BlockDevices)
            {
                if (item.MatchesPartition)
                {
                    foreach (var partition in disk.Partitions)
                    {
                        if (!partition.HasFilesystem && partition.Size >= item.MinimumSize && HasAll(partition.Tags, item.RequiredTags)
                            && !taken.Contains((true, partition.Id)) && IsSmaller(partition.Size, partition.Id, best))
                            best = (true, partition.Id, partition.Size);
                    }
                }
                else if (!disk.HasFilesystem && !disk.HasPartitionTable && disk.Size >= item.MinimumSize
                    && HasAll(disk.Tags, item.RequiredTags) && !taken.Contains((false, disk.Id)) && IsSmaller(disk.Size, disk.Id, best))
                {
                    best = (false, disk.Id, disk.Size);
                }
            }
            if (best is not { } chosen)
                return false;
            taken.Add((chosen.IsPartition, chosen.Id));
            result?.Add(new StorageAssignment(item.Label, chosen.IsPartition, chosen.Id));
        }
        return true;
    }

    private static bool IsSmaller(long size, long id, (bool IsPartition, long Id, long Size)? best) =>
        best is not { } b || size < b.Size || (size == b.Size && id < b.Id);
}
