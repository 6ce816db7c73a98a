using Anvil.Domain.Errors;

namespace Anvil.Domain.Scripts;

/// <summary>Collects every field error found in a script's metadata so one 400 reports them all.</summary>
internal sealed class ScriptMetadataErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        if (!list.Contains(message))
            list.Add(message);
    }

    public void Add(ValidationException e)
    {
        foreach (var (field, messages) in e.FieldErrors)
        {
            foreach (var message in messages)
                Add(field, message);
        }
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
            throw new ValidationException(_errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
    }
}
