namespace Anvil.Rack.Power;

/// <summary>The drivers this rack can run, by power type; a power type it does not know is refused with NotSupported.</summary>
public sealed class PowerDriverRegistry(IEnumerable<IPowerDriver> drivers)
{
    private readonly Dictionary<string, IPowerDriver> byName = drivers.ToDictionary(d => d.Description.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> PowerTypes => byName.Keys;

    public IPowerDriver Get(string powerType) =>
        byName.TryGetValue(powerType, out var driver)
            ? driver
            : throw new PowerException(PowerErrorKind.NotSupported, $"This rack has no '{powerType}' power driver (it has: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}).");
}
