namespace Anvil.Domain.Power;

/// <summary>The kinds of power parameter MAAS describes (maas-api.md §10 <c>field_type</c>).</summary>
public enum PowerFieldType
{
    String,
    MacAddress,
    Choice,
    MultipleChoice,
    Password,
}

/// <summary>
/// One parameter of a power driver, as <c>describe_power_types</c> shows it and as the API accepts
/// it (<c>power_parameters_&lt;name&gt;</c>). <see cref="Secret"/> ones are returned only to admins and
/// never logged; <see cref="NodeScope"/> ones belong to the machine rather than to its BMC.
/// </summary>
public sealed record PowerField(string Name, string Label, PowerFieldType Type = PowerFieldType.String, bool Required = false)
{
    public IReadOnlyList<(string Value, string Label)> Choices { get; init; } = [];

    public string Default { get; init; } = "";

    public bool Secret { get; init; }

    public bool NodeScope { get; init; }
}

/// <summary>A power driver as <c>describe_power_types</c> shows it (maas-api.md §10).</summary>
public sealed record PowerDriverDescription(string Name, string Description, IReadOnlyList<PowerField> Fields)
{
    /// <summary>Whether the driver can report the power state (manual cannot).</summary>
    public bool Queryable { get; init; } = true;

    public bool CanSetBootOrder { get; init; }
}
