using Anvil.Domain.Errors;

namespace Anvil.Region.Api.Framework;

/// <summary>Collects every field error of a form so one 400 reports them all, as MAAS's forms do.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Runs a validation step, keeping its field errors instead of stopping at the first.</summary>
    public void Try(Action validate)
    {
        try
        {
            validate();
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.FieldErrors)
            {
                foreach (var message in messages)
                    Add(field, message);
            }
        }
    }

    /// <summary>The value when it is null or ≥ 0; otherwise records an error and returns null.</summary>
    public int? NonNegative(string field, int? value)
    {
        if (value is < 0)
        {
            Add(field, "Ensure this value is greater than or equal to 0.");
            return null;
        }

        return value;
    }

    public void ThrowIfAny()
    {
        if (Any)
            throw new ValidationException(_errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
    }
}
