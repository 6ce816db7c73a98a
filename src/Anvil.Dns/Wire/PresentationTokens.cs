namespace Anvil.Dns.Wire;

/// <summary>One field of presentation data; a quoted field keeps its escapes, without the quotes.</summary>
internal readonly record struct PresentationToken(string Text, bool Quoted);

/// <summary>Splits presentation RDATA into fields: whitespace separates, double quotes group (with <c>\"</c> escapes).</summary>
internal static class PresentationTokens
{
    public static List<PresentationToken> Split(string data)
    {
        var tokens = new List<PresentationToken>();
        var i = 0;
        while (i < data.Length)
        {
            if (char.IsWhiteSpace(data[i]))
            {
                i++;
                continue;
            }

            var start = i;
            if (data[i] == '"')
            {
                i++;
                while (i < data.Length && data[i] != '"')
                    i += data[i] == '\\' ? 2 : 1;
                if (i >= data.Length)
                    throw new FormatException($"unterminated quoted string in '{data}'");
                tokens.Add(new PresentationToken(data[(start + 1)..i], Quoted: true));
                i++;
                continue;
            }

            while (i < data.Length && !char.IsWhiteSpace(data[i]) && data[i] != '"')
                i += data[i] == '\\' ? 2 : 1;
            tokens.Add(new PresentationToken(data[start..Math.Min(i, data.Length)], Quoted: false));
        }

        return tokens;
    }

    /// <summary>Turns a field's text into bytes, resolving <c>\X</c> and <c>\DDD</c> escapes.</summary>
    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (!DnsNames.TryReadEscape(text, ref i, out var value, out var error))
                    throw new FormatException(error);
                bytes.Add(value);
            }
            else if (c <= 0x7F)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Text beyond ASCII goes on the wire as UTF-8, which is what dig shows as \DDD escapes.
                var length = char.IsSurrogatePair(text, i) ? 2 : 1;
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(text.Substring(i, length)));
                i += length - 1;
            }
        }

        return [.. bytes];
    }
}
