using System.Net.Sockets;
using Anvil.Domain.Allocation;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Netplan;

/// <summary>
/// Refuses a <see cref="MachineNetwork"/> that netplan would reject or that would come up wrong,
/// reporting every problem at once, keyed by interface name (or <c>routes</c>, <c>dns_servers</c>,
/// <c>search_domains</c>).
/// </summary>
internal sealed class NetworkValidator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public static void Validate(MachineNetwork network)
    {
        var validator = new NetworkValidator();
        validator.Check(network);
        if (validator._errors.Count > 0)
            throw new ValidationException(validator._errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
    }

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    private void Check(MachineNetwork network)
    {
        var byName = new Dictionary<string, InterfaceConfig>(StringComparer.Ordinal);
        foreach (var iface in network.Interfaces)
        {
            if (string.IsNullOrWhiteSpace(iface.Name))
                Add("interfaces", "An interface has no name.");
            else if (!byName.TryAdd(iface.Name, iface))
                Add(iface.Name, $"Interface name '{iface.Name}' is used more than once.");
        }

        foreach (var iface in byName.Values)
        {
            CheckShape(iface, byName);
            CheckLinks(iface);
        }
        CheckCycles(byName);
        CheckMembership(byName);
        CheckDefaultGateways(byName.Values);
        CheckRoutes(network.Routes);
        if (network.SearchDomains.Any(string.IsNullOrWhiteSpace))
            Add("search_domains", "A search domain is empty.");
    }

    private void CheckShape(InterfaceConfig iface, Dictionary<string, InterfaceConfig> byName)
    {
        var name = iface.Name;
        if (iface.Mtu is <= 0)
            Add(name, $"MTU {iface.Mtu} is not positive.");
        if (iface.MacAddress is { } mac && MacAddressText.Normalize(mac) is null)
            Add(name, $"'{mac}' is not a MAC address.");

        foreach (var parent in iface.Parents)
        {
            if (parent == name)
                Add(name, "Interface is its own parent.");
            else if (!byName.TryGetValue(parent, out var p))
                Add(name, $"Parent '{parent}' is not an interface of this machine.");
            else if (iface.Enabled && !p.Enabled)
                Add(name, $"Parent '{parent}' is disabled.");
        }
        if (iface.Parents.Distinct(StringComparer.Ordinal).Count() != iface.Parents.Count)
            Add(name, "A parent is listed more than once.");

        switch (iface.Type)
        {
            case InterfaceType.Physical:
                if (iface.MacAddress is null)
                    Add(name, "A physical interface needs a MAC address.");
                if (iface.Parents.Count > 0)
                    Add(name, "A physical interface cannot have parents.");
                break;
            case InterfaceType.Vlan:
                if (iface.Parents.Count == 0)
                    Add(name, "A VLAN interface needs a parent.");
                else if (iface.Parents.Count > 1)
                    Add(name, "A VLAN interface has exactly one parent.");
                if (iface.VlanId is not { } vid)
                    Add(name, "A VLAN interface needs a VLAN id.");
                else if (vid is < 1 or > 4094)
                    Add(name, $"VLAN id {vid} is outside 1-4094.");
                break;
            case InterfaceType.Bond:
                if (iface.Parents.Count == 0)
                    Add(name, "A bond needs at least one parent.");
                foreach (var parent in iface.Parents)
                {
                    if (byName.TryGetValue(parent, out var p) && p.Type != InterfaceType.Physical)
                        Add(name, $"Bond member '{parent}' is not a physical interface.");
                }
                break;
            case InterfaceType.Bridge:
                break;
            default:
                Add(name, $"Unknown interface type {iface.Type}.");
                break;
        }
    }

    private void CheckLinks(InterfaceConfig iface)
    {
        foreach (var link in iface.Links)
        {
            var subnet = link.Subnet;
            if (link.Mode is LinkMode.Static or LinkMode.Auto)
            {
                var kind = link.Mode == LinkMode.Static ? "A static link" : "An auto link";
                if (link.Address is null)
                    Add(iface.Name, $"{kind} has no address.");
                if (subnet is null)
                    Add(iface.Name, $"{kind} has no subnet.");
            }
            if (link.Address is { } address && subnet is not null && !subnet.Cidr.Contains(address))
                Add(iface.Name, $"Address {address} is not in its subnet {subnet.Cidr}.");
            if (subnet?.Gateway is { } gateway && !subnet.Cidr.Contains(gateway))
                Add(iface.Name, $"Gateway {gateway} is not in its subnet {subnet.Cidr}.");
            if (link.IsDefaultGateway)
            {
                if (link.Mode is not (LinkMode.Static or LinkMode.Auto))
                    Add(iface.Name, "Only a static or auto link can carry the default gateway.");
                else if (subnet?.Gateway is null)
                    Add(iface.Name, "The default gateway link's subnet has no gateway.");
            }
        }
    }

    private void CheckDefaultGateways(IEnumerable<InterfaceConfig> interfaces)
    {
        var carriers = interfaces
            .Where(i => i.Enabled)
            .SelectMany(i => i.Links.Where(l => l.IsDefaultGateway && l.Subnet is not null).Select(l => (i.Name, l.Subnet!.Cidr.BaseAddress.AddressFamily)))
            .GroupBy(c => c.AddressFamily);
        foreach (var family in carriers.Where(g => g.Count() > 1))
        {
            var version = family.Key == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
            Add(family.First().Name, $"More than one link carries the {version} default gateway ({string.Join(", ", family.Select(c => c.Name).Order(StringComparer.Ordinal))}).");
        }
    }

    /// <summary>A bond member or bridge port belongs to exactly one bond or bridge.</summary>
    private void CheckMembership(Dictionary<string, InterfaceConfig> byName)
    {
        var owners = byName.Values
            .Where(i => i.Type is InterfaceType.Bond or InterfaceType.Bridge)
            .SelectMany(i => i.Parents.Distinct(StringComparer.Ordinal).Select(p => (Member: p, Owner: i.Name)))
            .GroupBy(m => m.Member, StringComparer.Ordinal);
        foreach (var member in owners.Where(g => g.Count() > 1))
            Add(member.Key, $"Interface is a member of more than one bond or bridge ({string.Join(", ", member.Select(m => m.Owner).Order(StringComparer.Ordinal))}).");
    }

    private void CheckCycles(Dictionary<string, InterfaceConfig> byName)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        foreach (var name in byName.Keys.Order(StringComparer.Ordinal))
            Visit(name, []);

        void Visit(string name, List<string> path)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                    Add(name, $"Interfaces sit on each other in a cycle: {string.Join(" -> ", path[path.IndexOf(name)..].Append(name))}.");
                return;
            }
            state[name] = false;
            path.Add(name);
            foreach (var parent in byName[name].Parents.Where(p => p != name && byName.ContainsKey(p)))
                Visit(parent, path);
            path.RemoveAt(path.Count - 1);
            state[name] = true;
        }
    }

    private void CheckRoutes(IReadOnlyList<StaticRouteConfig> routes)
    {
        foreach (var route in routes)
        {
            var family = route.Source.BaseAddress.AddressFamily;
            if (route.Destination.BaseAddress.AddressFamily != family)
                Add("routes", $"Route from {route.Source} to {route.Destination} mixes address families.");
            else if (!route.Source.Contains(route.Gateway))
                Add("routes", $"Route to {route.Destination} has gateway {route.Gateway} outside its source subnet {route.Source}.");
            if (route.Metric < 0)
                Add("routes", $"Route to {route.Destination} has a negative metric.");
        }
    }
}
