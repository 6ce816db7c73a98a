using System.Text;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// The <c>; key=value</c> parameters of a MIME header such as Content-Disposition: tokens or
/// quoted strings with backslash escapes, and RFC 2231 <c>key*=charset''percent-encoded</c>.
/// </summary>
internal static class HeaderParameters
{
    public static Dictionary<string, string> Parse(string header)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = header.IndexOf(';');
        if (i < 0)
            return result;
        i++;
        while (i < header.Length)
        {
            while (i < header.Length && header[i] is ' ' or '\t' or ';')
                i++;
            var keyStart = i;
            while (i < header.Length && header[i] is not '=' and not ';')
                i++;
            var key = header[keyStart..i].Trim();
            if (i >= header.Length || header[i] == ';')
                continue;
            i++;
            while (i < header.Length && header[i] is ' ' or '\t')
                i++;
            var value = ReadValue(header, ref i);
            if (key.Length == 0)
                continue;
            if (key.EndsWith('*'))
                result[key[..^1]] = DecodeExtended(value);
            else
                result.TryAdd(key, value);
        }

        return result;
    }

    private static string ReadValue(string header, ref int i)
    {
        if (i < header.Length && header[i] == '"')
        {
            var value = new StringBuilder();
            i++;
            while (i < header.Length && header[i] != '"')
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                    i++;
                value.Append(header[i]);
                i++;
            }

            i++;
            while (i < header.Length && header[i] != ';')
                i++;
            return value.ToString();
        }

        var start = i;
        while (i < header.Length && header[i] != ';')
            i++;
        return header[start..i].Trim();
    }

    // RFC 2231: charset'language'percent-encoded; only UTF-8 and Latin-1 are worth supporting.
    private static string DecodeExtended(string value)
    {
        var parts = value.Split('\'', 3);
        if (parts.Length != 3)
            return value;
        var encoding = parts[0].Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) ? Encoding.Latin1 : Encoding.UTF8;
        var bytes = new List<byte>(parts[2].Length);
        var text = parts[2];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return encoding.GetString(bytes.ToArray());
    }
}
