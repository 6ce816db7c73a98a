namespace Anvil.Domain.Power;

/// <summary>
/// Checks a machine's power parameters against its driver's schema with MAAS's messages, reported
/// under the <c>power_parameters</c> field. Facts from MAAS (not its code): its DictCharField reports
/// each missing required sub-field as "&lt;label&gt;: This field is required." and a value outside a
/// choice field's choices as "&lt;label&gt;: '&lt;value&gt;' is not a valid &lt;name&gt;.  It should be one of:
/// '&lt;a&gt;', '&lt;b&gt;'." (maasserver/config_forms.py, maasserver/utils/forms.py compose_invalid_choice_text,
/// clusterrpc/driver_parameters.py make_form_field); <c>power_parameters_skip_check=true</c> skips the
/// check. A required field with a default is satisfied by its default, as MAAS fills the default in.
/// </summary>
public static class PowerParameterCheck
{
    public const string Field = "power_parameters";

    /// <summary>Every problem, in the schema's field order; empty when the parameters will do.</summary>
    public static IReadOnlyList<string> Problems(PowerDriverDescription driver, IReadOnlyDictionary<string, string?> values)
    {
        var problems = new List<string>();
        foreach (var field in driver.Fields)
        {
            var value = values.TryGetValue(field.Name, out var given) ? given : null;
            if (string.IsNullOrEmpty(value))
            {
                if (field.Required && field.Default.Length == 0)
                    problems.Add($"{field.Label}: This field is required.");
                continue;
            }

            if (field.Type == PowerFieldType.Choice && !field.Choices.Any(c => c.Value == value))
                problems.Add($"{field.Label}: '{value}' is not a valid {field.Name}.  It should be one of: {string.Join(", ", field.Choices.Select(c => $"'{c.Value}'"))}.");
        }

        return problems;
    }
}
