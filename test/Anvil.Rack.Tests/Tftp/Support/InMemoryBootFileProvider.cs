using System.Collections.Concurrent;
using Anvil.Rack.Boot;

namespace Anvil.Rack.Tests.Tftp.Support;

/// <summary>Boot files held in memory, recording every path the server asked for.</summary>
internal sealed class InMemoryBootFileProvider : IBootFileProvider
{
    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requested { get; } = new();

    /// <summary>When set, opening this path throws it (a broken provider).</summary>
    public Exception? Failure { get; set; }

    public byte[] Add(string path, byte[] content)
    {
        files[path] = content;
        return content;
    }

    public byte[] AddRandom(string path, int length, int seed)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return Add(path, content);
    }

    public ValueTask<BootFile?> OpenAsync(string path, BootClient client, CancellationToken ct)
    {
        Requested.Enqueue(path);
        if (Failure is not null)
            throw Failure;
        return ValueTask.FromResult(files.TryGetValue(path, out var content)
            ? new BootFile(new MemoryStream(content, writable: false), content.Length)
            : null);
    }
}
