namespace Anvil.Region.Api.Framework;

/// <summary>The parsed form of a request body: fields in arrival order and uploaded files.</summary>
internal sealed class ApiBody(IReadOnlyList<KeyValuePair<string, string>> values, IReadOnlyList<ApiFile> files)
{
    /// <summary>No form body: empty, absent, or a raw body (JSON, octet-stream) left for the action to read.</summary>
    public static ApiBody None { get; } = new([], []);

    public IReadOnlyList<KeyValuePair<string, string>> Values { get; } = values;

    public IReadOnlyList<ApiFile> Files { get; } = files;

    /// <summary>The last value of <paramref name="key"/>, as Django's QueryDict returns it.</summary>
    public string? Get(string key)
    {
        for (var i = Values.Count - 1; i >= 0; i--)
        {
            if (Values[i].Key == key)
                return Values[i].Value;
        }

        return null;
    }
}
