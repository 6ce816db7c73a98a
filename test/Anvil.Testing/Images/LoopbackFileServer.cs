using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Testing.Images;

/// <summary>
/// A minimal HTTP/1.1 file server on a loopback port, written on a raw socket so a test controls
/// the wire: it serves <see cref="Files"/> by path with single byte ranges, records every request
/// (path and Range header), and can drop the connection halfway through a file's body once.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public LoopbackFileServer()
    {
        listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync();
    }

    public Uri BaseUri { get; }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    /// <summary>Paths whose next response stops after half the body and closes the connection.</summary>
    public ConcurrentDictionary<string, bool> DropHalfwayOnce { get; } = new(StringComparer.Ordinal);

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                clients.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(clients).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var path = Uri.UnescapeDataString(lines[0].Split(' ')[1].TrimStart('/'));
                var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
                Requests.Enqueue((path, range));
                if (!Files.TryGetValue(path, out var content))
                {
                    await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                var start = 0L;
                var status = "200 OK";
                var extra = "";
                if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
                {
                    start = long.Parse(range[6..^1], CultureInfo.InvariantCulture);
                    status = "206 Partial Content";
                    extra = $"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\n";
                }

                var body = content.AsMemory((int)start);
                await WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n{extra}Connection: close\r\n\r\n");
                if (DropHalfwayOnce.TryRemove(path, out _))
                {
                    await stream.WriteAsync(body[..(body.Length / 2)], stop.Token);
                    await stream.FlushAsync(stop.Token);
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }

                await stream.WriteAsync(body, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException or IndexOutOfRangeException)
            {
                // The client went away or sent something this server does not speak.
            }
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024 && await stream.ReadAsync(one, stop.Token) == 1)
        {
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
                break;
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), stop.Token).AsTask();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
