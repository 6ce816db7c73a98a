using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Rpc;

/// <summary>
/// One frame on the link, a WebSocket text message of JSON: the handshake frames
/// (<c>challenge</c>, <c>auth</c>), calls in either direction (<c>call</c> with an id the caller
/// picks) and their answers (<c>reply</c> or <c>error</c> with the same id).
/// </summary>
internal sealed record LinkMessage
{
    [JsonPropertyName("t")]
    public required string Type { get; init; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Id { get; init; }

    [JsonPropertyName("method")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    /// <summary>Call arguments or reply result.</summary>
    [JsonPropertyName("body")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Body { get; init; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinkError? Error { get; init; }

    [JsonPropertyName("nonce")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Nonce { get; init; }

    [JsonPropertyName("digest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }

    public const string Challenge = "challenge";
    public const string Auth = "auth";
    public const string Call = "call";
    public const string Reply = "reply";
    public const string Failure = "error";
}

/// <summary>Why a call failed on the other side: a kind (<c>not_found</c>, <c>validation</c>, <c>unknown_method</c>, <c>internal</c>) and a message.</summary>
public sealed record LinkError(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("message")] string Message);
