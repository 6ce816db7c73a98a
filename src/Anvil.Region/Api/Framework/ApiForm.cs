namespace Anvil.Region.Api.Framework;

/// <summary>
/// The parameters of a request: for GET and DELETE the query string, for POST and PUT the body
/// (multipart with base64 parts decoded, or urlencoded) with query parameters added where the
/// body lacks them. Repeated keys are lists. <c>op</c> is not a parameter.
/// </summary>
public sealed class ApiForm
{
    private readonly Dictionary<string, List<string>> _values;
    private readonly Dictionary<string, ApiFile> _files;

    public ApiForm(IEnumerable<KeyValuePair<string, string>> values, IEnumerable<ApiFile>? files = null)
    {
        _values = new(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (!_values.TryGetValue(key, out var list))
                _values[key] = list = [];
            list.Add(value);
        }

        _files = (files ?? []).GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public static ApiForm Empty { get; } = new([]);

    public IEnumerable<string> Keys => _values.Keys;

    public bool Has(string key) => _values.ContainsKey(key) || _files.ContainsKey(key);

    /// <summary>The last value of <paramref name="key"/> (Django's QueryDict semantics), or null.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var list) && list.Count > 0 ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string key) => _values.TryGetValue(key, out var list) ? list : [];

    public ApiFile? GetFile(string key) => _files.TryGetValue(key, out var file) ? file : null;

    /// <summary>Every uploaded file, e.g. for MAAS's "upload one file named after the script" form.</summary>
    public IReadOnlyCollection<ApiFile> Files => _files.Values;

    public IReadOnlyDictionary<string, List<string>> All => _values;
}

/// <summary>An uploaded multipart file part.</summary>
public sealed record ApiFile(string Name, string? FileName, string? ContentType, byte[] Content);
