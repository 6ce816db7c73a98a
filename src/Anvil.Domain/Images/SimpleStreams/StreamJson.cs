using System.Globalization;
using System.Text.Json;

namespace Anvil.Domain.Images.SimpleStreams;

/// <summary>JSON reading shared by the simplestreams parsers: bounded depth, no exceptions out.</summary>
internal static class StreamJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonDocument document, out string error)
    {
        document = null!;
        error = "";
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), Options);
            return true;
        }
        catch (JsonException e)
        {
            error = $"not valid JSON ({e.Message})";
            return false;
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Scalar(value) : null;

    /// <summary>A scalar as simplestreams means it: strings as they are, numbers and booleans as text.</summary>
    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>The scalar properties of an object, which simplestreams inherits down the tree.</summary>
    public static Dictionary<string, string> Scalars(JsonElement element, IReadOnlyDictionary<string, string>? inherited)
    {
        var result = inherited is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Scalar(property.Value) is { } text)
                result[property.Name] = text;
        }

        return result;
    }

    public static bool TryLong(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
