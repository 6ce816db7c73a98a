using System.Text;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Request bodies byte for byte as the real MAAS clients produce them, built from their documented
/// encoders so each test states its own data.
/// </summary>
internal static class MultipartCaptures
{
    /// <summary>What python's email generator emits for a form-data boundary, quoted in Content-Type.</summary>
    public const string PythonBoundary = "===============8017456453542464376==";

    public const string PythonContentType = "multipart/form-data; boundary=\"" + PythonBoundary + "\"";

    /// <summary>
    /// The maas CLI / python apiclient encoder: every part base64 with a Content-Transfer-Encoding
    /// header, base64 wrapped at 76 columns, a blank line before each delimiter (the encoder's
    /// trailing newline), all line ends CRLF, and no line end after the closing delimiter.
    /// </summary>
    public static byte[] Python(IEnumerable<(string Name, string Value)> fields, IEnumerable<(string Name, string FileName, byte[] Content)>? files = null)
    {
        var parts = new List<string>();
        foreach (var (name, value) in fields)
        {
            parts.Add(
                "Content-Type: text/plain; charset=\"utf-8\"\r\n" +
                "MIME-Version: 1.0\r\n" +
                "Content-Transfer-Encoding: base64\r\n" +
                $"Content-Disposition: form-data; name=\"{name}\"\r\n" +
                "\r\n" +
                Base64Lines(Encoding.UTF8.GetBytes(value)));
        }

        foreach (var (name, fileName, content) in files ?? [])
        {
            parts.Add(
                "Content-Type: application/octet-stream\r\n" +
                "MIME-Version: 1.0\r\n" +
                "Content-Transfer-Encoding: base64\r\n" +
                $"Content-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\n" +
                "\r\n" +
                Base64Lines(content));
        }

        var body = new StringBuilder($"--{PythonBoundary}\r\n");
        body.AppendJoin($"\r\n--{PythonBoundary}\r\n", parts);
        body.Append($"\r\n--{PythonBoundary}--");
        return Encoding.ASCII.GetBytes(body.ToString());
    }

    /// <summary>python-libmaas's body for a DELETE, or a POST without parameters: no parts at all.</summary>
    public static byte[] PythonLibmaasEmpty(string boundary) => Encoding.ASCII.GetBytes($"--{boundary}\r\n\r\n--{boundary}--");

    /// <summary>Go's mime/multipart as gomaasapi uses it for uploads: plain parts, unquoted 60-hex boundary.</summary>
    public const string GoBoundary = "3d6b6a416f9b5c2e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e";

    public const string GoContentType = "multipart/form-data; boundary=" + GoBoundary;

    public static byte[] Go(IEnumerable<(string Name, string Value)> fields, (string Name, string FileName, byte[] Content)? file = null)
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
            Write($"--{GoBoundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        if (file is var (fileField, fileName, content))
        {
            Write($"--{GoBoundary}\r\nContent-Disposition: form-data; name=\"{fileField}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.Write(content);
            Write("\r\n");
        }

        Write($"--{GoBoundary}--\r\n");
        return body.ToArray();
    }

    /// <summary>The metadata helper on deploying machines: a 30-character boundary, plain parts, a blank line after the end.</summary>
    public const string MetadataBoundary = "AbCdEfGhIjKlMnOpQrStUvWxYz0123";

    public static byte[] MetadataHelper(IEnumerable<(string Name, string Value)> fields, (string Name, byte[] Content) file)
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
            Write($"--{MetadataBoundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        Write($"--{MetadataBoundary}\r\nContent-Disposition: form-data; name=\"{file.Name}\"; filename=\"{file.Name}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.Write(file.Content);
        Write($"\r\n--{MetadataBoundary}--\r\n\r\n");
        return body.ToArray();
    }

    private static string Base64Lines(byte[] content)
    {
        var encoded = Convert.ToBase64String(content);
        var lines = new StringBuilder();
        for (var i = 0; i < encoded.Length; i += 76)
            lines.Append(encoded.AsSpan(i, Math.Min(76, encoded.Length - i))).Append("\r\n");
        return lines.ToString();
    }
}
