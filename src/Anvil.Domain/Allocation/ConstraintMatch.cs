using System.Globalization;

namespace Anvil.Domain.Allocation;

/// <summary>A storage constraint item and the device it was given.</summary>
/// <param name="Label">Empty for unlabeled items (MAAS does not report those).</param>
/// <param name="IsPartition">The item carried the pseudo-tag <c>partition</c>.</param>
/// <param name="DeviceId">Block device or partition id.</param>
public readonly record struct StorageAssignment(string Label, bool IsPartition, long DeviceId)
{
    /// <summary>MAAS's device key: the block device id as a number, or <c>"partition:&lt;id&gt;"</c>.</summary>
    public object Key => IsPartition ? $"partition:{DeviceId.ToString(CultureInfo.InvariantCulture)}" : DeviceId;

    internal string KeyText => IsPartition ? $"partition:{DeviceId.ToString(CultureInfo.InvariantCulture)}" : DeviceId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How a machine satisfied the storage and interfaces constraints.</summary>
public sealed record ConstraintMatch
{
    public required long MachineId { get; init; }

    /// <summary>In matching order: the root item first, then the rest most-specific first.</summary>
    public IReadOnlyList<StorageAssignment> Storage { get; init; } = [];

    /// <summary>label → ids of every interface of the machine that satisfies it, ascending.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<long>>> Interfaces { get; init; } = [];

    internal bool StorageGiven { get; init; }

    internal bool InterfacesGiven { get; init; }

    /// <summary>
    /// The <c>constraints_by_type</c> of the allocate response: <c>storage</c> as
    /// <c>{label: [device keys]}</c> when some labeled item matched, <c>interfaces</c> as
    /// <c>{label: [interface ids]}</c> when labels were given, and with <paramref name="verbose"/>
    /// MAAS's per-machine maps (here for the chosen machine only).
    /// </summary>
    public ConstraintsByType ToConstraintsByType(bool verbose = false)
    {
        var labeled = Storage.Where(s => s.Label.Length > 0).ToList();
        Dictionary<string, IReadOnlyList<object>>? storage = null;
        if (labeled.Count > 0)
        {
            var byLabel = new Dictionary<string, List<object>>(StringComparer.Ordinal);
            foreach (var s in labeled)
            {
                if (!byLabel.TryGetValue(s.Label, out var keys))
                    byLabel[s.Label] = keys = [];
                keys.Add(s.Key);
            }
            storage = byLabel.ToDictionary(p => p.Key, p => (IReadOnlyList<object>)p.Value, StringComparer.Ordinal);
        }
        var interfaces = Interfaces.Count > 0
            ? Interfaces.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : null;
        if (!verbose)
            return new ConstraintsByType { Storage = storage, Interfaces = interfaces };

        var machineKey = MachineId.ToString(CultureInfo.InvariantCulture);
        var verboseStorage = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (StorageGiven)
            verboseStorage[machineKey] = labeled.ToDictionary(s => s.KeyText, s => s.Label, StringComparer.Ordinal);
        var verboseInterfaces = Interfaces.ToDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, IReadOnlyList<long>>)new Dictionary<string, IReadOnlyList<long>> { [machineKey] = p.Value },
            StringComparer.Ordinal);
        return new ConstraintsByType
        {
            Storage = storage,
            Interfaces = interfaces,
            VerboseStorage = verboseStorage,
            VerboseInterfaces = verboseInterfaces,
        };
    }
}
