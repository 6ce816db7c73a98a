using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Dhcp;

/// <summary>
/// Reads the <c>value</c> MAAS clients send for a DHCP snippet (ISC dhcpd configuration text) and
/// accepts only a safe subset: <c>option &lt;name or code&gt; &lt;value&gt;;</c> statements for the
/// options of <see cref="DhcpOptionCatalog"/>, with <c>#</c> comments. Anything else is refused
/// with a field error on <c>value</c>, so the rack never applies text it cannot check.
/// </summary>
public static partial class DhcpSnippetParser
{
    public const int MaxLength = 16 * 1024;
    public const int MaxListItems = 32;
    private const string Field = "value";

    public static IReadOnlyList<DhcpOption> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Error("This field is required.");
        if (text.Length > MaxLength)
            throw Error($"Ensure this value has at most {MaxLength} characters (it has {text.Length}).");
        var tokens = Tokenize(text);
        var options = new List<DhcpOption>();
        var at = 0;
        while (at < tokens.Count)
        {
            var keyword = tokens[at];
            if (keyword.Kind != TokenKind.Word || !keyword.Text.Equals("option", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(
                    $"'{Show(keyword.Text)}' is not supported: a snippet holds only 'option <name> <value>;' statements for the options Anvil knows ({KnownNames()}).");
            }

            if (at + 1 >= tokens.Count || tokens[at + 1].Kind != TokenKind.Word)
                throw Error("'option' must be followed by an option name or code.");
            var nameToken = tokens[at + 1].Text;
            var definition = DhcpOptionCatalog.Find(nameToken)
                ?? throw Error($"Option '{Show(nameToken)}' is not supported; supported options: {KnownNames()}.");
            var end = at + 2;
            while (end < tokens.Count && tokens[end].Kind != TokenKind.Semicolon)
                end++;
            if (end == tokens.Count)
                throw Error($"Option '{definition.Name}' must end with ';'.");
            if (options.Any(o => o.Code == definition.Code))
                throw Error($"Option '{definition.Name}' is set more than once.");
            options.Add(new DhcpOption(definition.Code, definition.Name, definition.Type, ParseValue(definition, tokens[(at + 2)..end])));
            at = end + 1;
        }

        if (options.Count == 0)
            throw Error("The snippet sets no option.");
        return options;
    }

    private static JsonNode ParseValue(DhcpOptionDefinition definition, List<Token> tokens)
    {
        if (tokens.Count == 0)
            throw Error($"Option '{definition.Name}' needs a value.");
        return definition.Type switch
        {
            DhcpOptionType.IpAddresses => new JsonArray([.. List(definition, tokens, TokenKind.Word).Select(t => (JsonNode)Ipv4(definition, t))]),
            DhcpOptionType.DomainList => new JsonArray([.. List(definition, tokens, TokenKind.String).Select(t => (JsonNode)DomainName(definition, t))]),
            DhcpOptionType.Text => Text(definition, Single(definition, tokens, TokenKind.String, "a quoted string")),
            DhcpOptionType.Hex => Hex(definition, Single(definition, tokens, TokenKind.Word, "colon-separated hex octets")),
            DhcpOptionType.Boolean => Boolean(definition, Single(definition, tokens, TokenKind.Word, "true or false")),
            _ => Integer(definition, Single(definition, tokens, TokenKind.Word, "a whole number")),
        };
    }

    private static List<string> List(DhcpOptionDefinition definition, List<Token> tokens, TokenKind itemKind)
    {
        var what = itemKind == TokenKind.String ? "quoted domain names" : "IPv4 addresses";
        var items = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var expectItem = i % 2 == 0;
            if (expectItem ? tokens[i].Kind != itemKind : tokens[i].Kind != TokenKind.Comma)
                throw Error($"Option '{definition.Name}' takes a comma-separated list of {what}.");
            if (expectItem)
                items.Add(tokens[i].Text);
        }

        if (tokens.Count % 2 == 0)
            throw Error($"Option '{definition.Name}' takes a comma-separated list of {what}.");
        if (items.Count > MaxListItems)
            throw Error($"Option '{definition.Name}' takes at most {MaxListItems} values.");
        return items;
    }

    private static string Single(DhcpOptionDefinition definition, List<Token> tokens, TokenKind kind, string what) =>
        tokens is [var only] && only.Kind == kind ? only.Text : throw Error($"Option '{definition.Name}' takes {what}.");

    private static string Ipv4(DhcpOptionDefinition definition, string text) =>
        DottedQuad().IsMatch(text) && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? address.ToString()
            : throw Error($"Option '{definition.Name}': '{Show(text)}' is not an IPv4 address.");

    private static string DomainName(DhcpOptionDefinition definition, string text)
    {
        var name = text.TrimEnd('.').ToLowerInvariant();
        return name.Length is > 0 and <= 253 && name.Split('.').All(DomainLabel().IsMatch)
            ? name
            : throw Error($"Option '{definition.Name}': '{Show(text)}' is not a domain name.");
    }

    private static JsonValue Text(DhcpOptionDefinition definition, string text)
    {
        if (text.Length is 0 or > 255)
            throw Error($"Option '{definition.Name}' takes 1 to 255 characters.");
        if (text.Any(ch => ch is < ' ' or > '~'))
            throw Error($"Option '{definition.Name}' takes printable ASCII characters only.");
        return JsonValue.Create(text);
    }

    private static JsonValue Hex(DhcpOptionDefinition definition, string text)
    {
        if (!HexOctets().IsMatch(text))
            throw Error($"Option '{definition.Name}' takes 1 to 255 colon-separated hex octets, e.g. 01:04:c0:a8:00:01.");
        return JsonValue.Create(string.Join(':', text.Split(':').Select(o => o.ToLowerInvariant().PadLeft(2, '0'))));
    }

    private static JsonValue Boolean(DhcpOptionDefinition definition, string text) => text.ToLowerInvariant() switch
    {
        "true" or "on" => JsonValue.Create(true),
        "false" or "off" => JsonValue.Create(false),
        _ => throw Error($"Option '{definition.Name}' takes true or false."),
    };

    private static JsonValue Integer(DhcpOptionDefinition definition, string text) =>
        SignedInteger().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
        && value >= definition.Min && value <= definition.Max
            ? JsonValue.Create(value)
            : throw Error($"Option '{definition.Name}' takes a whole number from {definition.Min} to {definition.Max}.");

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
            }
            else if (ch == '#')
            {
                while (i < text.Length && text[i] != '\n')
                    i++;
            }
            else if (ch is ';' or ',')
            {
                tokens.Add(new Token(ch == ';' ? TokenKind.Semicolon : TokenKind.Comma, ch.ToString()));
                i++;
            }
            else if (ch == '"')
            {
                i = ReadString(text, i + 1, tokens);
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or ',' or '"' or '#'))
                    i++;
                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
        }

        return tokens;
    }

    /// <summary>Reads a quoted string from just after its opening quote; only <c>\"</c> and <c>\\</c> escapes exist.</summary>
    private static int ReadString(string text, int i, List<Token> tokens)
    {
        var value = new StringBuilder();
        while (i < text.Length)
        {
            var ch = text[i];
            if (ch == '"')
            {
                tokens.Add(new Token(TokenKind.String, value.ToString()));
                return i + 1;
            }

            if (ch == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('"' or '\\'))
                    throw Error("Only \\\" and \\\\ escapes are allowed in quoted strings.");
                ch = text[i + 1];
                i++;
            }

            value.Append(ch);
            i++;
        }

        throw Error("A quoted string is not closed.");
    }

    private static string KnownNames() => string.Join(", ", DhcpOptionCatalog.All.Select(o => o.Name));

    /// <summary>Echoes caller text in an error: short, and without control characters.</summary>
    private static string Show(string text)
    {
        var shown = new string([.. text.Take(40).Select(ch => char.IsControl(ch) ? '?' : ch)]);
        return text.Length > 40 ? shown + "…" : shown;
    }

    private static ValidationException Error(string message) => new(Field, message);

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainLabel();

    [GeneratedRegex(@"^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){0,254}$")]
    private static partial Regex HexOctets();

    [GeneratedRegex(@"^-?\d{1,19}$")]
    private static partial Regex SignedInteger();

    private enum TokenKind
    {
        Word,
        String,
        Comma,
        Semicolon,
    }

    private readonly record struct Token(TokenKind Kind, string Text);
}
