using System.Text.Json;
using System.Text.Json.Serialization;
using Anvil.Client;
using Anvil.Client.Description;

namespace Anvil.Cli.Profiles;

/// <summary>A saved login: server URL, API key (null for anonymous) and the describe/ document.</summary>
internal sealed record ServerProfile
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public string? Credentials { get; init; }

    public JsonElement Description { get; init; }

    [JsonIgnore]
    public MaasApiKey? ApiKey => Credentials is null ? null : MaasApiKey.Parse(Credentials);

    [JsonIgnore]
    public string? DescriptionHash =>
        Description.ValueKind == JsonValueKind.Object && Description.TryGetProperty("hash", out var hash) && hash.ValueKind == JsonValueKind.String
            ? hash.GetString()
            : null;

    public MaasApiDescription ParseDescription() =>
        Description.ValueKind == JsonValueKind.Object
            ? MaasApiDescription.Parse(Description.GetRawText())
            : new MaasApiDescription();
}
