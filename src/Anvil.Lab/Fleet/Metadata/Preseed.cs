using System.Text.RegularExpressions;
using Anvil.Client;

namespace Anvil.Lab.Fleet.Metadata;

/// <summary>
/// What a machine needs from its preseed (maas-api.md §7.6): the metadata URL and, once it is known,
/// its OAuth token. Each key is unique in the document, so it is found by name in block, flow or
/// JSON style, as the ephemeral runner does.
/// </summary>
internal sealed partial record Preseed(string? MetadataUrl, MaasApiKey? Token)
{
    public static Preseed Parse(string text)
    {
        string? Value(string key)
        {
            var match = KeyValue().Matches(text).FirstOrDefault(m => m.Groups["key"].Value == key);
            return match is null || match.Groups["value"].Value.Length == 0 ? null : match.Groups["value"].Value;
        }

        var consumer = Value("consumer_key");
        var tokenKey = Value("token_key");
        var secret = Value("token_secret");
        var token = consumer is not null && tokenKey is not null && secret is not null ? new MaasApiKey(consumer, tokenKey, secret) : null;
        return new Preseed(Value("metadata_url"), token);
    }

    [GeneratedRegex("""["']?(?<key>[a-z_]+)["']?\s*:\s*["']?(?<value>[^"',}\s]*)""")]
    private static partial Regex KeyValue();
}
