using System.Text;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// multipart/form-data (RFC 7578 over RFC 2046) as MAAS clients send it: python's email-based
/// encoder (every part base64 with <c>Content-Transfer-Encoding</c>), python-libmaas's empty body
/// (<c>--B\r\n\r\n--B--</c>), Go's mime/multipart (plain parts, files) and the metadata helper.
/// Lines may end in CRLF or bare LF. Bounds are explicit: every index is checked against the span.
/// </summary>
internal static class MultipartFormParser
{
    private static readonly byte[] Dashes = "--"u8.ToArray();

    /// <summary>Parses <paramref name="body"/>; false with a reason when it is not a well-formed body.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, string boundary, out List<MultipartPart> parts, out string? error)
    {
        parts = [];
        error = null;
        if (boundary.Length is 0 or > 200)
            return Fail("the boundary is empty or longer than 200 characters", out error);
        if (IsWhitespace(body))
            return true;

        var delimiter = Encoding.UTF8.GetBytes("--" + boundary);
        var position = FindDelimiter(body, 0, delimiter);
        if (position < 0)
            return Fail("the boundary does not occur in the body", out error);
        position += delimiter.Length;

        while (true)
        {
            if (body[position..].StartsWith(Dashes))
                return true;
            while (position < body.Length && body[position] is (byte)' ' or (byte)'\t')
                position++;
            if (!TrySkipLineEnd(body, ref position))
                return Fail("a boundary line is followed by neither a line end nor '--'", out error);

            if (!TryReadHeaders(body, ref position, out var headers))
                return Fail("a part's headers do not end in an empty line", out error);

            var next = FindDelimiter(body, position, delimiter);
            if (next < 0)
                return Fail("the closing boundary is missing", out error);
            var end = next;
            if (end > position && body[end - 1] == (byte)'\n')
            {
                end--;
                if (end > position && body[end - 1] == (byte)'\r')
                    end--;
            }

            if (!TryMakePart(headers, body[position..end], out var part, out error))
                return false;
            if (part.Name is not null)
                parts.Add(part);
            position = next + delimiter.Length;
        }
    }

    private static bool TryMakePart(List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> raw, out MultipartPart part, out string? error)
    {
        part = null!;
        error = null;
        string? name = null, fileName = null, contentType = null, transferEncoding = null;
        foreach (var (key, value) in headers)
        {
            if (key.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                var parameters = HeaderParameters.Parse(value);
                name = parameters.GetValueOrDefault("name");
                fileName = parameters.GetValueOrDefault("filename");
            }
            else if (key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value.Trim();
            }
            else if (key.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = value.Trim().ToLowerInvariant();
            }
        }

        byte[] content;
        switch (transferEncoding)
        {
            case "base64":
                if (!TryDecodeBase64(raw, out content))
                    return Fail($"part '{name}' is not valid base64", out error);
                break;
            case "quoted-printable":
                content = DecodeQuotedPrintable(raw);
                break;
            default:
                content = raw.ToArray();
                break;
        }

        part = new MultipartPart(name, fileName, contentType, content);
        return true;
    }

    /// <summary>Index of <paramref name="delimiter"/> at the start of a line at or after <paramref name="start"/>, or -1.</summary>
    private static int FindDelimiter(ReadOnlySpan<byte> body, int start, ReadOnlySpan<byte> delimiter)
    {
        var offset = start;
        while (offset <= body.Length - delimiter.Length)
        {
            var found = body[offset..].IndexOf(delimiter);
            if (found < 0)
                return -1;
            var index = offset + found;
            var atLineStart = index == start || body[index - 1] == (byte)'\n';
            var after = index + delimiter.Length;
            // "--B" must not match the start of a longer line such as "--Bxyz".
            var endsCleanly = after == body.Length || body[after] is (byte)'-' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
            if (atLineStart && endsCleanly)
                return index;
            offset = index + 1;
        }

        return -1;
    }

    private static bool TryReadHeaders(ReadOnlySpan<byte> body, ref int position, out List<KeyValuePair<string, string>> headers)
    {
        headers = [];
        while (true)
        {
            var lineEnd = body[position..].IndexOf((byte)'\n');
            if (lineEnd < 0)
                return false;
            var line = body.Slice(position, lineEnd);
            position += lineEnd + 1;
            if (!line.IsEmpty && line[^1] == (byte)'\r')
                line = line[..^1];
            if (line.IsEmpty)
                return true;

            var text = Encoding.UTF8.GetString(line);
            if (text[0] is ' ' or '\t' && headers.Count > 0)
            {
                // A folded line continues the previous header.
                var (key, value) = headers[^1];
                headers[^1] = new(key, value + " " + text.Trim());
                continue;
            }

            var colon = text.IndexOf(':');
            if (colon > 0)
                headers.Add(new(text[..colon].Trim(), text[(colon + 1)..].Trim()));
        }
    }

    private static bool TrySkipLineEnd(ReadOnlySpan<byte> body, ref int position)
    {
        if (body[position..].StartsWith("\r\n"u8))
        {
            position += 2;
            return true;
        }

        if (position < body.Length && body[position] == (byte)'\n')
        {
            position++;
            return true;
        }

        return false;
    }

    private static bool TryDecodeBase64(ReadOnlySpan<byte> raw, out byte[] content)
    {
        // Convert skips the CR/LF/space that python's encoder puts every 76 characters.
        var text = Encoding.Latin1.GetString(raw);
        var buffer = new byte[(text.Length / 4 * 3) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            content = buffer[..written];
            return true;
        }

        content = [];
        return false;
    }

    private static byte[] DecodeQuotedPrintable(ReadOnlySpan<byte> raw)
    {
        var output = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'=')
            {
                output.Add(raw[i]);
                continue;
            }

            if (raw[(i + 1)..].StartsWith("\r\n"u8))
            {
                i += 2;
            }
            else if (i + 1 < raw.Length && raw[i + 1] == (byte)'\n')
            {
                i += 1;
            }
            else if (i + 2 < raw.Length && HexValue(raw[i + 1]) is >= 0 and var high && HexValue(raw[i + 2]) is >= 0 and var low)
            {
                output.Add((byte)((high << 4) | low));
                i += 2;
            }
            else
            {
                output.Add(raw[i]);
            }
        }

        return output.ToArray();
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool IsWhitespace(ReadOnlySpan<byte> body) => body.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
