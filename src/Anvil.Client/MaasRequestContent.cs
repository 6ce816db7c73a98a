using System.Net.Http.Headers;
using System.Text;

namespace Anvil.Client;

/// <summary>Builds POST/PUT bodies in the encodings MAAS servers accept.</summary>
internal static class MaasRequestContent
{
    public static HttpContent? Create(MaasRequest request, MaasBodyEncoding encoding)
    {
        if (request.Parameters.Count == 0 && request.Files.Count == 0)
        {
            // An empty multipart body trips some form parsers; no body at all means the same thing.
            return null;
        }

        if (encoding == MaasBodyEncoding.UrlEncoded && request.Files.Count == 0)
        {
            return new FormUrlEncodedContent(request.Parameters);
        }

        var base64 = encoding == MaasBodyEncoding.MultipartBase64;
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in request.Parameters)
        {
            multipart.Add(Part(name, null, Encoding.UTF8.GetBytes(value), "text/plain", base64));
        }

        foreach (var file in request.Files)
        {
            multipart.Add(Part(file.Name, file.FileName, file.Content, "application/octet-stream", base64));
        }

        return multipart;
    }

    private static ByteArrayContent Part(string name, string? fileName, ReadOnlyMemory<byte> bytes, string mediaType, bool base64)
    {
        var content = new ByteArrayContent(base64 ? Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes.Span)) : bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (mediaType == "text/plain")
        {
            content.Headers.ContentType.CharSet = "utf-8";
        }

        content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = Quote(name),
            FileName = fileName is null ? null : Quote(fileName),
        };
        if (base64)
        {
            content.Headers.TryAddWithoutValidation("Content-Transfer-Encoding", "base64");
        }

        return content;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
