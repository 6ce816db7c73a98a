namespace Anvil.Benchmarks.Http;

/// <summary>
/// A body read into a buffer reused across requests, as an efficient client would: the client's
/// own allocation and copying (an 80 MiB listing would otherwise be regrown many times over) is
/// kept out of what is measured.
/// </summary>
internal sealed class ResponseBuffer
{
    private byte[] _bytes = new byte[64 * 1024];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    public async Task ReadFromAsync(Stream body, long? contentLength, CancellationToken ct)
    {
        if (contentLength is { } known && known > _bytes.Length)
            Array.Resize(ref _bytes, (int)known);
        Length = 0;
        while (true)
        {
            if (Length == _bytes.Length)
                Array.Resize(ref _bytes, _bytes.Length * 2);
            var read = await body.ReadAsync(_bytes.AsMemory(Length), ct);
            if (read == 0)
                return;
            Length += read;
        }
    }
}
