using Anvil.Domain.Power;

namespace Anvil.Rack.Power;

/// <summary>
/// A machine's power parameters by MAAS name (<c>power_address</c>, <c>power_user</c>, …). Missing
/// names read as the field's default; <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed class PowerParameters(PowerDriverDescription driver, IReadOnlyDictionary<string, string> values)
{
    public PowerDriverDescription Driver { get; } = driver;

    public string Get(string name)
    {
        if (values.TryGetValue(name, out var value) && value.Length > 0)
            return value;
        return Driver.Fields.FirstOrDefault(f => f.Name == name)?.Default ?? "";
    }

    /// <summary>The value, or a <see cref="PowerException"/> of kind <see cref="PowerErrorKind.InvalidParameters"/> when it is empty.</summary>
    public string Require(string name) =>
        Get(name) is { Length: > 0 } value ? value : throw new PowerException(PowerErrorKind.InvalidParameters, $"The {Driver.Name} driver needs {name}.");

    public override string ToString() =>
        string.Join(", ", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v =>
            Driver.Fields.FirstOrDefault(f => f.Name == v.Key)?.Secret == true ? $"{v.Key}=****" : $"{v.Key}={v.Value}"));
}
