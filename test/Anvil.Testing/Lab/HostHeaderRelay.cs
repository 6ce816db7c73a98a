using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Testing.Lab;

/// <summary>
/// A loopback TCP relay in front of an <see cref="System.Net.HttpListener"/> on 127.0.0.1 that
/// rewrites each request's Host header to 127.0.0.1:port. A VM reaches the host as
/// <see cref="EphemeralVm.ForwardedHost"/>, and HttpListener answers only requests whose Host
/// matches its prefix (it cannot listen for 10.0.2.100 without listening on every interface).
/// Request bodies are passed through by Content-Length; a chunked body ends the rewriting for that
/// connection (everything after it is passed on as it is).
/// </summary>
public sealed class HostHeaderRelay : IAsyncDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly TcpListener listener;
    private readonly int target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private HostHeaderRelay(TcpListener listener, int target)
    {
        this.listener = listener;
        this.target = target;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>The loopback port to point the VM at.</summary>
    public int Port { get; }

    public static HostHeaderRelay Start(int targetPort)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new HostHeaderRelay(listener, targetPort);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping ends the accept loop this way.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, target);
                var up = Task.Run(async () =>
                {
                    await ForwardRequestsAsync(client.GetStream(), server.GetStream());
                    server.Client.Shutdown(SocketShutdown.Send);
                });
                var down = Task.Run(async () =>
                {
                    await server.GetStream().CopyToAsync(client.GetStream());
                    client.Client.Shutdown(SocketShutdown.Send);
                });
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // One side went away: the connection is over.
            }
        }
    }

    private async Task ForwardRequestsAsync(Stream from, Stream to)
    {
        var buffer = new byte[1 << 16];
        var filled = 0;
        while (true)
        {
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
            {
                if (filled == buffer.Length)
                {
                    // Headers this long are not ours to understand: pass everything on.
                    await to.WriteAsync(buffer.AsMemory(0, filled));
                    await from.CopyToAsync(to);
                    return;
                }

                var read = await from.ReadAsync(buffer.AsMemory(filled));
                if (read == 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, filled));
                    return;
                }

                filled += read;
            }

            var headerLength = end + HeaderEnd.Length;
            var (headers, contentLength, chunked) = Rewrite(Encoding.Latin1.GetString(buffer, 0, headerLength));
            await to.WriteAsync(Encoding.Latin1.GetBytes(headers));
            buffer.AsSpan(headerLength, filled - headerLength).CopyTo(buffer);
            filled -= headerLength;
            if (chunked)
            {
                await to.WriteAsync(buffer.AsMemory(0, filled));
                await from.CopyToAsync(to);
                return;
            }

            var body = contentLength;
            while (body > 0)
            {
                if (filled == 0)
                {
                    filled = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, body)));
                    if (filled == 0)
                        return;
                }

                var part = (int)Math.Min(filled, body);
                await to.WriteAsync(buffer.AsMemory(0, part));
                buffer.AsSpan(part, filled - part).CopyTo(buffer);
                filled -= part;
                body -= part;
            }
        }
    }

    private (string Headers, long ContentLength, bool Chunked) Rewrite(string headers)
    {
        var lines = headers.Split("\r\n");
        long length = 0;
        var chunked = false;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            var name = lines[i][..colon].Trim();
            var value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                lines[i] = $"Host: 127.0.0.1:{target}";
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                _ = long.TryParse(value, out length);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }

        return (string.Join("\r\n", lines), length, chunked);
    }
}
