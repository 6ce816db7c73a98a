using Anvil.Domain.Errors;
using Anvil.Domain.Machines;

namespace Anvil.Domain.Allocation;

/// <summary>
/// Reads MAAS's constraint parameters (allocate, and the nodes/machines read filters) into
/// <see cref="MachineConstraints"/>, reporting every bad field at once as MAAS's form does.
/// </summary>
public static class ConstraintForm
{
    /// <summary>Parameters handled elsewhere by the allocate operation; never constraints.</summary>
    public static readonly IReadOnlySet<string> IgnoredFields = new HashSet<string>(StringComparer.Ordinal)
        { "comment", "bridge_all", "bridge_type", "bridge_stp", "bridge_fd", "dry_run", "verbose", "op", "agent_name" };

    private static readonly string[] CommonFields =
    [
        "arch", "not_arch", "tags", "not_tags", "fabrics", "not_fabrics", "fabric_classes", "not_fabric_classes",
        "subnets", "not_subnets", "link_speed", "vlans", "not_vlans", "zone", "not_in_zone", "pool", "not_in_pool",
        "storage", "interfaces", "devices", "cpu_count", "cpu_speed", "mem", "owner", "not_owner", "power_state",
        "not_power_state", "deployment_target", "not_deployment_target",
    ];

    private static readonly HashSet<string> AllocateFields = new([.. CommonFields, "name", "system_id"], StringComparer.Ordinal);

    private static readonly HashSet<string> ReadFields = new(
        [
            .. CommonFields, "id", "not_id", "hostname", "not_hostname", "mac_address", "domain", "not_domain",
            "agent_name", "not_agent_name", "status", "not_status", "simple_status", "not_simple_status", "system_id",
        ],
        StringComparer.Ordinal);

    private static readonly string[] PowerStateChoices = [PowerState.On, PowerState.Off, PowerState.Unknown, PowerState.Error];
    private static readonly string[] DeploymentTargetChoices = ["memory", "disk"];

    /// <summary>
    /// Validates <paramref name="form"/>; throws <see cref="ValidationException"/> listing every
    /// bad field (unknown parameters get "No such constraint.").
    /// </summary>
    public static MachineConstraints Parse(
        IReadOnlyDictionary<string, IReadOnlyList<string>> form,
        KnownNames known,
        ConstraintFormKind kind = ConstraintFormKind.Allocate) => new Reader(form, known, kind).Read();

    private sealed class Reader(IReadOnlyDictionary<string, IReadOnlyList<string>> form, KnownNames known, ConstraintFormKind kind)
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> _described = new(StringComparer.Ordinal);
        private readonly HashSet<string> _fields = kind == ConstraintFormKind.Allocate ? AllocateFields : ReadFields;
        private NetworkCatalog? _catalog;

        private NetworkCatalog Catalog => _catalog ??= new NetworkCatalog(known);

        public MachineConstraints Read()
        {
            var (arch, archPrimaries) = Architectures("arch", expandKnown: true);
            var (notArch, notArchPrimaries) = Architectures("not_arch", expandKnown: false);
            var storage = Storage();
            var (interfaces, labels) = Interfaces();
            var constraints = new MachineConstraints
            {
                Kind = kind,
                Input = [.. form.Where(p => p.Key != "op").Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, p.Value))],
                Names = Field("name") is { } names ? Describe("name", names) : null,
                SystemIds = Set("system_id"),
                Architectures = arch,
                ArchitecturePrimaries = archPrimaries,
                NotArchitectures = notArch,
                NotArchitecturePrimaries = notArchPrimaries,
                MinCpuCount = Number("cpu_count", "Invalid CPU count: number required."),
                MinCpuSpeed = Number("cpu_speed", "Invalid CPU speed: number required."),
                MinMemory = Number("mem", "Invalid memory: number of MiB required."),
                MinLinkSpeed = Number("link_speed", "Invalid link speed: number required."),
                Tags = KnownTags(),
                NotTags = Set("not_tags", LegacySplit),
                Zones = Existing("zone", known.Zones, "zone"),
                NotInZones = Existing("not_in_zone", known.Zones, "zone"),
                Pools = Existing("pool", known.Pools, "pool"),
                NotInPools = Existing("not_in_pool", known.Pools, "pool"),
                Fabrics = Set("fabrics"),
                NotFabrics = Set("not_fabrics"),
                FabricClasses = Set("fabric_classes"),
                NotFabricClasses = Set("not_fabric_classes"),
                SubnetIds = Subnets("subnets"),
                NotSubnetIds = Subnets("not_subnets"),
                VlanIds = Vlans("vlans"),
                NotVlanIds = Vlans("not_vlans"),
                Owners = Owners(),
                NotOwners = Set("not_owner"),
                PowerStates = Choices("power_state", PowerStateChoices),
                NotPowerStates = Choices("not_power_state", PowerStateChoices),
                DeploymentTargets = Choices("deployment_target", DeploymentTargetChoices),
                NotDeploymentTargets = Choices("not_deployment_target", DeploymentTargetChoices),
                Ids = Set("id"),
                NotIds = Set("not_id"),
                Hostnames = Set("hostname"),
                NotHostnames = Set("not_hostname"),
                MacAddresses = MacAddresses(),
                Domains = Set("domain"),
                NotDomains = Set("not_domain"),
                AgentNames = Set("agent_name"),
                NotAgentNames = Set("not_agent_name"),
                Statuses = Statuses("status"),
                NotStatuses = Statuses("not_status"),
                SimpleStatuses = SimpleStatuses("simple_status"),
                NotSimpleStatuses = SimpleStatuses("not_simple_status"),
                Storage = storage,
                Interfaces = interfaces,
                InterfaceLabels = labels,
                Devices = Devices(),
                Described = [.. _described],
            };
            foreach (var name in form.Keys)
            {
                if (!_fields.Contains(name) && !IgnoredFields.Contains(name))
                    AddError(name, "No such constraint.");
            }
            if (_errors.Count > 0)
                throw new ValidationException(_errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
            return constraints;
        }

        private void AddError(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
                _errors[field] = list = [];
            list.Add(message);
        }

        /// <summary>The non-empty values of a field of this form, or null when absent.</summary>
        private List<string>? Field(string name, Func<IEnumerable<string>, IEnumerable<string>>? split = null)
        {
            if (!_fields.Contains(name) || !form.TryGetValue(name, out var raw))
                return null;
            var values = raw.Where(v => !string.IsNullOrEmpty(v));
            var list = (split is null ? values : split(values)).ToList();
            return list.Count == 0 ? null : list;
        }

        /// <summary>A single-valued text field: the last value, whitespace-trimmed (Django's CharField).</summary>
        private string? Text(string name)
        {
            if (!_fields.Contains(name) || !form.TryGetValue(name, out var raw) || raw.Count == 0)
                return null;
            var value = raw[^1]?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private List<string> Describe(string name, List<string> values)
        {
            _described[name] = string.Join(",", values);
            return values;
        }

        private HashSet<string>? Set(string name, Func<IEnumerable<string>, IEnumerable<string>>? split = null) =>
            Field(name, split) is { } values ? new HashSet<string>(Describe(name, values), StringComparer.Ordinal) : null;

        private static IEnumerable<string> LegacySplit(IEnumerable<string> values) =>
            values.SelectMany(v => v.Split([' ', '\t', '\n', '\r', '\f', '\v', ','], StringSplitOptions.RemoveEmptyEntries));

        private double? Number(string name, string error)
        {
            if (Field(name) is not { } values)
                return null;
            var numbers = new List<double>();
            foreach (var value in values)
            {
                if (!NumberText.TryParseFloat(value, out var number))
                {
                    AddError(name, error);
                    return null;
                }
                numbers.Add(number);
            }
            _described[name] = string.Join(",", numbers.Select(PythonRepr.Float));
            return numbers.Min();
        }

        private (HashSet<string>? Exact, HashSet<string>? Primaries) Architectures(string name, bool expandKnown)
        {
            if (Field(name) is not { } values)
                return (null, null);
            if (known.Architectures is not { } usable || !expandKnown)
            {
                // Without the usable list a bare primary ("amd64") matches any "amd64/…"; "arm" means armhf.
                var exact = values.Where(v => v.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
                var primaries = values.Where(v => !v.Contains('/', StringComparison.Ordinal))
                    .SelectMany(v => v == "arm" ? ["arm", "armhf"] : new[] { v }).ToHashSet(StringComparer.Ordinal);
                Describe(name, values);
                return (exact, primaries);
            }
            var expanded = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                var matches = usable.Contains(value) ? [value] : Wildcard(usable, value);
                if (matches.Count == 0)
                {
                    AddError(name, "Architecture not recognised.");
                    return (null, null);
                }
                expanded.UnionWith(matches);
            }
            _described[name] = string.Join(",", expanded.Order(StringComparer.Ordinal));
            return (expanded, null);
        }

        private static List<string> Wildcard(IReadOnlySet<string> usable, string primary)
        {
            var matches = usable.Where(a => a.Split('/')[0] == primary).ToList();
            if (matches.Count == 0 && primary == "arm")
                matches = [.. usable.Where(a => a.Split('/')[0] == "armhf")];
            return matches;
        }

        private HashSet<string>? KnownTags()
        {
            if (Field("tags", LegacySplit) is not { } values)
                return null;
            var tags = values.ToHashSet(StringComparer.Ordinal);
            var unknown = tags.Where(t => !known.Tags.Contains(t)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                AddError("tags", $"No such tag(s): {string.Join(", ", unknown.Select(t => $"'{t}'"))}.");
                return null;
            }
            _described["tags"] = string.Join(",", tags.Order(StringComparer.Ordinal));
            return tags;
        }

        private HashSet<string>? Existing(string name, IReadOnlySet<string> existing, string what)
        {
            if (Field(name) is not { } values)
                return null;
            var unknown = values.Where(v => !existing.Contains(v)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                AddError(name, $"No such {what}(s): {string.Join(", ", unknown)}.");
                return null;
            }
            return new HashSet<string>(Describe(name, values), StringComparer.Ordinal);
        }

        private HashSet<string>? Owners()
        {
            if (Field("owner") is not { } values)
                return null;
            if (known.Users is { } users && values.Where(v => !users.Contains(v)).Order(StringComparer.Ordinal).FirstOrDefault() is { } missing)
            {
                AddError("owner", $"No such owner: '{missing}'.");
                return null;
            }
            return new HashSet<string>(Describe("owner", values), StringComparer.Ordinal);
        }

        private HashSet<long>? Subnets(string name) => Resolve(name, "subnets", v => Catalog.ResolveSubnets(v));

        private HashSet<long>? Vlans(string name) => Resolve(name, "vlans", v => Catalog.ResolveVlans(v));

        private HashSet<long>? Resolve(string name, string plural, Func<List<string>, HashSet<long>> resolve)
        {
            if (Field(name) is not { } values)
                return null;
            HashSet<long> ids;
            try
            {
                ids = resolve(values);
            }
            catch (SpecifierException e)
            {
                AddError(name, e.Message);
                return null;
            }
            if (ids.Count == 0)
            {
                AddError(name, $"No matching {plural} found.");
                return null;
            }
            _described[name] = string.Join(",", ids.Order());
            return ids;
        }

        private HashSet<string>? Choices(string name, string[] choices)
        {
            if (Field(name) is not { } values)
                return null;
            // MAAS's UI sends exact-match values as "=value"; the form strips the prefix.
            var cleaned = values.Select(v => v.StartsWith('=') ? v[1..] : v).ToList();
            foreach (var value in cleaned)
            {
                if (!choices.Contains(value, StringComparer.Ordinal))
                {
                    AddError(name, $"Select a valid choice. {value} is not one of the available choices.");
                    return null;
                }
            }
            return new HashSet<string>(Describe(name, cleaned), StringComparer.Ordinal);
        }

        private HashSet<NodeStatus>? Statuses(string name)
        {
            if (Field(name) is not { } values)
                return null;
            var statuses = new HashSet<NodeStatus>();
            foreach (var raw in values)
            {
                var value = raw.StartsWith('=') ? raw[1..] : raw;
                if (value.Length == 0 || value.Any(c => !char.IsAsciiLetterLower(c) && c != '_')
                    || !Enum.TryParse<NodeStatus>(value.ToUpperInvariant(), out var status) || !Enum.IsDefined(status))
                {
                    AddError(name, $"Select a valid choice. {value} is not one of the available choices.");
                    return null;
                }
                statuses.Add(status);
            }
            Describe(name, values);
            return statuses;
        }

        private HashSet<NodeStatus>? SimpleStatuses(string name)
        {
            if (Field(name) is not { } values)
                return null;
            var statuses = new HashSet<NodeStatus>();
            foreach (var raw in values)
            {
                var value = raw.StartsWith('=') ? raw[1..] : raw;
                if (SimpleStatus.Statuses(value) is not { } expanded)
                {
                    AddError(name, $"Select a valid choice. {value} is not one of the available choices.");
                    return null;
                }
                statuses.UnionWith(expanded);
            }
            Describe(name, values);
            return statuses;
        }

        private HashSet<string>? MacAddresses()
        {
            if (Field("mac_address") is not { } values)
                return null;
            var macs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                if (MacAddressText.Normalize(value) is not { } mac)
                {
                    AddError("mac_address", $"'{value}' is not a valid MAC address.");
                    return null;
                }
                macs.Add(mac);
            }
            Describe("mac_address", values);
            return macs;
        }

        private StorageConstraints? Storage()
        {
            if (Text("storage") is not { } text)
                return null;
            if (!StorageConstraints.TryParse(text, out var parsed, out var error))
            {
                AddError("storage", error);
                return null;
            }
            _described["storage"] = text;
            return parsed;
        }

        private (InterfacesConstraint?, InterfaceLabelMatcher[]) Interfaces()
        {
            // Not a CharField in MAAS: the value is not trimmed, but blank means "not given".
            if (!_fields.Contains("interfaces") || !form.TryGetValue("interfaces", out var raw) || raw.Count == 0
                || string.IsNullOrWhiteSpace(raw[^1]))
                return (null, []);
            var text = raw[^1];
            if (!InterfacesConstraint.TryParse(text, out var parsed, out var error))
            {
                AddError("interfaces", error);
                return (null, []);
            }
            try
            {
                var labels = InterfaceLabelMatcher.Compile(parsed, Catalog);
                _described["interfaces"] = text;
                return (parsed, labels);
            }
            catch (SpecifierException e)
            {
                AddError("interfaces", e.Message);
                return (null, []);
            }
        }

        private DevicesConstraint? Devices()
        {
            if (Text("devices") is not { } text)
                return null;
            if (!DevicesConstraint.TryParse(text, out var parsed, out var error))
            {
                AddError("devices", error);
                return null;
            }
            _described["devices"] = text;
            return parsed;
        }
    }
}
