namespace Anvil.Client.Support;

/// <summary>One request as the loopback server received it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    byte[] Body,
    IReadOnlyList<RecordedPart> Parts,
    IReadOnlyList<KeyValuePair<string, string>> UrlEncodedForm)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public IEnumerable<string> QueryValues(string key) => Query.Where(p => p.Key == key).Select(p => p.Value);

    public IEnumerable<RecordedPart> PartsNamed(string name) => Parts.Where(p => p.Name == name);
}

/// <summary>One multipart part, undecoded.</summary>
public sealed record RecordedPart(string Name, string? FileName, IReadOnlyDictionary<string, string> Headers, byte[] Content)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Content);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
