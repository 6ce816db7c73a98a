using Anvil.Domain.Ipam;

namespace Anvil.Domain.Allocation;

/// <summary>
/// One label of the <c>interfaces</c> constraint compiled against the region's networks: an
/// interface matches when every key holds (positive keys: any value; <c>not_</c> keys: no value).
/// </summary>
internal sealed class InterfaceLabelMatcher
{
    private readonly Func<MachineCandidate, InterfaceCandidate, bool>[] _tests;

    private InterfaceLabelMatcher(string label, Func<MachineCandidate, InterfaceCandidate, bool>[] tests)
    {
        Label = label;
        _tests = tests;
    }

    public string Label { get; }

    public bool Matches(MachineCandidate machine, InterfaceCandidate iface)
    {
        foreach (var test in _tests)
        {
            if (!test(machine, iface))
                return false;
        }
        return true;
    }

    /// <summary>Compiles every label; throws <see cref="SpecifierException"/> for a bad value.</summary>
    public static InterfaceLabelMatcher[] Compile(InterfacesConstraint constraint, NetworkCatalog catalog) =>
        [.. constraint.Labels.Select(label => new InterfaceLabelMatcher(
            label.Key,
            [.. label.Value.Select(key => CompileKey(key.Key, key.Value, catalog))]))];

    private static Func<MachineCandidate, InterfaceCandidate, bool> CompileKey(string key, IReadOnlyList<string> values, NetworkCatalog catalog)
    {
        var negated = key.StartsWith("not_", StringComparison.Ordinal);
        var baseKey = negated ? key[4..] : key;
        var tests = values.Select(v => CompileValue(baseKey, v, catalog)).ToArray();
        if (negated)
        {
            return (m, i) =>
            {
                foreach (var t in tests)
                {
                    if (t(m, i))
                        return false;
                }
                return true;
            };
        }
        return (m, i) =>
        {
            foreach (var t in tests)
            {
                if (t(m, i))
                    return true;
            }
            return false;
        };
    }

    private static Func<MachineCandidate, InterfaceCandidate, bool> CompileValue(string key, string value, NetworkCatalog catalog)
    {
        switch (key)
        {
            case "id":
                var id = Specifiers.ParseId(value, "Interface");
                return (_, i) => i.Id == id;
            case "fabric":
                var fabric = NetworkCatalog.CompileFabric(Specifiers.SplitAnded(value));
                return (_, i) => i.Vlan is { } v && fabric.Matches(v);
            case "fabric_class":
                return (_, i) => i.Vlan is { } v && v.FabricClassType == value;
            case "ip":
                var ip = NormalizeAddress(value);
                return (_, i) => HasAddress(i, ip);
            case "mode":
                if (!value.Trim().Equals("unconfigured", StringComparison.OrdinalIgnoreCase))
                    throw new SpecifierException("The only valid value for 'mode' is 'unconfigured'.");
                return (_, i) => i.Links.Count == 0 || i.Links.Any(l => l.IpAddresses.Count == 0);
            case "name":
                return (_, i) => i.Name == value;
            case "hostname":
                return (m, _) => m.Hostname == value;
            case "subnet":
                var subnets = catalog.ResolveSubnets(Specifiers.SplitAnded(value));
                return (_, i) => LinkedToAny(i, subnets);
            case "subnet_cidr":
                var cidrSubnets = catalog.ResolveSubnets(["cidr:" + value]);
                return (_, i) => LinkedToAny(i, cidrSubnets);
            case "space":
                var space = NetworkCatalog.CompileSpace(Specifiers.SplitAnded(value));
                return (_, i) => i.Vlan is { } v && space.Matches(v);
            case "type":
                return (_, i) => i.Type == value;
            case "vlan":
                var vlans = catalog.ResolveVlans(Specifiers.SplitAnded(value));
                return (_, i) => i.Vlan is { } v && vlans.Contains(v.Id);
            case "vid":
                var vid = Specifiers.ParseVid(value);
                return (_, i) => i.Vlan is { } v && v.Vid == vid;
            case "tag":
                // "a&&b" asks for both tags on the same interface.
                var tags = value.Split("&&");
                return (_, i) => tags.All(t => i.Tags.Contains(t, StringComparer.Ordinal));
            default:
                var speed = NumberText.TryParseFloat(value, out var s) ? s : throw new SpecifierException($"Invalid link speed: '{value}'.");
                return (_, i) => i.LinkSpeed >= speed;
        }
    }

    /// <summary>The canonical text of an address (zone index dropped) when it parses, else the text itself.</summary>
    internal static string NormalizeAddress(string text) =>
        IpAddress.TryParseDroppingZone(text, out var address) ? address.ToString() : text;

    private static bool HasAddress(InterfaceCandidate iface, string ip)
    {
        foreach (var link in iface.Links)
        {
            foreach (var address in link.IpAddresses)
            {
                if (address == ip || NormalizeAddress(address) == ip)
                    return true;
            }
        }
        return false;
    }

    private static bool LinkedToAny(InterfaceCandidate iface, HashSet<long> subnetIds)
    {
        foreach (var link in iface.Links)
        {
            if (subnetIds.Contains(link.SubnetId))
                return true;
        }
        return false;
    }
}
