using Anvil.Domain.Ipam;

namespace Anvil.Domain.Allocation;

/// <summary>The region's subnets and VLANs, for resolving specifiers to ids the way MAAS queries its tables.</summary>
internal sealed class NetworkCatalog
{
    private static readonly HashSet<string> SubnetTypes = new(StringComparer.Ordinal)
        { "cidr", "fabric", "id", "interface", "ip", "name", "space", "vid", "vlan" };
    private static readonly HashSet<string> VlanTypes = new(StringComparer.Ordinal)
        { "fabric", "id", "name", "subnet", "space", "vid" };
    private static readonly HashSet<string> FabricTypes = new(StringComparer.Ordinal) { "id", "name", "class_type" };
    private static readonly HashSet<string> SpaceTypes = new(StringComparer.Ordinal) { "id", "name" };

    private readonly IReadOnlyList<SubnetView> _subnets;
    private readonly IReadOnlyList<KnownVlan> _vlans;

    public NetworkCatalog(KnownNames known)
    {
        _vlans = known.Vlans;
        var vlansById = known.Vlans.GroupBy(v => v.Id).ToDictionary(g => g.Key, g => g.First());
        _subnets = [.. known.Subnets.Select(s => new SubnetView(
            s,
            vlansById.GetValueOrDefault(s.VlanId),
            TryParseCidr(s.Cidr, out var n) ? n : null))];
    }

    public sealed record SubnetView(KnownSubnet Subnet, KnownVlan? Vlan, IpNetwork? Network);

    /// <summary>Ids of the subnets any of the (OR-ed) specifiers select.</summary>
    public HashSet<long> ResolveSubnets(IEnumerable<string> specifiers, int depth = 0)
    {
        var expression = CompileSubnet(specifiers, depth);
        return [.. _subnets.Where(expression.Matches).Select(s => s.Subnet.Id)];
    }

    /// <summary>Ids of the VLANs any of the (OR-ed) specifiers select.</summary>
    public HashSet<long> ResolveVlans(IEnumerable<string> specifiers, int depth = 0)
    {
        var expression = CompileVlan(specifiers, depth);
        return [.. _vlans.Where(expression.Matches).Select(v => v.Id)];
    }

    private SpecifierExpression<SubnetView> CompileSubnet(IEnumerable<string> specifiers, int depth)
    {
        CheckDepth(depth);
        return Specifiers.Compile<SubnetView>(specifiers, SubnetTypes, (type, value) =>
        {
            switch (type)
            {
                case null:
                    if (NumberText.TryParseInteger(value, out var anyId))
                        return s => s.Subnet.Id == anyId;
                    if (TryParseCidr(value, out var anyCidr))
                        return s => s.Network == anyCidr;
                    return s => s.Subnet.Name == value;
                case "cidr":
                    var cidr = TryParseCidr(value, out var n) ? n : throw new SpecifierException($"Invalid CIDR: '{value}'.");
                    return s => s.Network == cidr;
                case "id":
                    var id = Specifiers.ParseId(value, "Subnet");
                    return s => s.Subnet.Id == id;
                case "ip":
                    var ip = IpAddress.TryParseDroppingZone(value, out var a) ? a : throw new SpecifierException($"Invalid IP address: '{value}'.");
                    return s => s.Network is { } net && net.Contains(ip);
                case "name":
                    return s => s.Subnet.Name == value;
                case "vid":
                    var vid = Specifiers.ParseVid(value);
                    return s => s.Vlan is { } v && v.Vid == vid;
                case "vlan":
                    var vlans = ResolveVlans(Specifiers.SplitAnded(value), depth + 1);
                    return s => vlans.Contains(s.Subnet.VlanId);
                case "fabric":
                    var fabric = CompileFabric(Specifiers.SplitAnded(value));
                    return s => s.Vlan is { } v && fabric.Matches(v);
                case "space":
                    var space = CompileSpace(Specifiers.SplitAnded(value));
                    return s => s.Vlan is { } v && space.Matches(v);
                default:
                    // Resolving interface: needs every node's interfaces, which a pure catalog does not hold.
                    throw new SpecifierException($"Unsupported subnet specifier: '{type}:{value}'.");
            }
        });
    }

    private SpecifierExpression<KnownVlan> CompileVlan(IEnumerable<string> specifiers, int depth)
    {
        CheckDepth(depth);
        return Specifiers.Compile<KnownVlan>(specifiers, VlanTypes, (type, value) =>
        {
            switch (type)
            {
                case null:
                    if (NumberText.TryParseInteger(value, out var anyId))
                        return v => v.Id == anyId;
                    return v => v.Name == value;
                case "id":
                    var id = Specifiers.ParseId(value, "VLAN");
                    return v => v.Id == id;
                case "name":
                    return v => v.Name == value;
                case "vid":
                    var vid = Specifiers.ParseVid(value);
                    return v => v.Vid == vid;
                case "subnet":
                    var subnets = CompileSubnet(Specifiers.SplitAnded(value), depth + 1);
                    var onVlans = _subnets.Where(subnets.Matches).Select(s => s.Subnet.VlanId).ToHashSet();
                    return v => onVlans.Contains(v.Id);
                case "fabric":
                    var fabric = CompileFabric(Specifiers.SplitAnded(value));
                    return v => fabric.Matches(v);
                default:
                    var space = CompileSpace(Specifiers.SplitAnded(value));
                    return v => space.Matches(v);
            }
        });
    }

    public static SpecifierExpression<IVlanFacts> CompileFabric(IEnumerable<string> specifiers) =>
        Specifiers.Compile<IVlanFacts>(specifiers, FabricTypes, (type, value) =>
        {
            switch (type)
            {
                case null:
                    if (NumberText.TryParseInteger(value, out var anyId))
                        return v => v.FabricId == anyId;
                    return v => v.FabricName == value;
                case "id":
                    var id = Specifiers.ParseId(value, "Fabric");
                    return v => v.FabricId == id;
                case "name":
                    return v => v.FabricName == value;
                default:
                    return v => v.FabricClassType == value;
            }
        });

    /// <summary>Space specifiers; <c>undefined</c> selects VLANs without a space.</summary>
    public static SpecifierExpression<IVlanFacts> CompileSpace(IEnumerable<string> specifiers) =>
        Specifiers.Compile<IVlanFacts>(specifiers, SpaceTypes, (type, value) =>
        {
            if (value == "undefined" && type is null or "name")
                return v => v.SpaceId is null && v.SpaceName is null;
            switch (type)
            {
                case null:
                    if (NumberText.TryParseInteger(value, out var anyId))
                        return v => v.SpaceId == anyId;
                    return v => v.SpaceName == value;
                case "id":
                    var id = Specifiers.ParseId(value, "Space");
                    return v => v.SpaceId == id;
                default:
                    return v => v.SpaceName == value;
            }
        });

    /// <summary>
    /// A CIDR as specifiers have always read it: an IPv6 zone index is dropped, as
    /// <see cref="IpAddress.TryParseDroppingZone"/> does, but white space around the address or after
    /// the prefix is not trimmed, as <see cref="IpNetwork.TryParse"/> would: an untyped
    /// <c>| 10.0.0.0/24</c> keeps its space and names a subnet. (A zone index may end in white space;
    /// IPAddress.TryParse takes it.)
    /// </summary>
    internal static bool TryParseCidr(string text, out IpNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var zone = addressText.IndexOf('%', StringComparison.Ordinal);
        if (HasOuterWhiteSpace(zone < 0 ? addressText : addressText[..zone])
            || (slash >= 0 && HasOuterWhiteSpace(text[slash..]))
            || !IpAddress.TryParseDroppingZone(addressText, out var address))
            return false;
        return IpNetwork.TryParse(slash < 0 ? address.ToString() : address + text[slash..], out network);
    }

    private static bool HasOuterWhiteSpace(string text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));

    private static void CheckDepth(int depth)
    {
        if (depth > Specifiers.MaxDepth)
            throw new SpecifierException("Specifier nested too deeply.");
    }
}

/// <summary>The VLAN facts specifiers look at, shared by catalog VLANs and candidate VLANs.</summary>
internal interface IVlanFacts
{
    long Id { get; }
    int Vid { get; }
    string Name { get; }
    long FabricId { get; }
    string FabricName { get; }
    string? FabricClassType { get; }
    long? SpaceId { get; }
    string? SpaceName { get; }
}
