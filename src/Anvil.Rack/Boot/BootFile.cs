namespace Anvil.Rack.Boot;

/// <summary>
/// An open boot file: a seekable stream and its length (HTTP serves ranges from it).
/// Disposing closes the stream.
/// </summary>
public sealed class BootFile(Stream content, long length, string contentType = "application/octet-stream") : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    public string ContentType { get; } = contentType;

    public static BootFile FromText(string text, string contentType = "text/plain")
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return new BootFile(new MemoryStream(bytes, writable: false), bytes.Length, contentType);
    }

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
