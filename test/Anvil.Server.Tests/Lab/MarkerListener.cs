using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Server.Lab;

/// <summary>A TCP listener on the lab bridge that keeps the request line of every HTTP request (the deployed OS calls it).</summary>
internal sealed class MarkerListener : IDisposable
{
    private readonly TcpListener listener;
    private readonly List<string> lines = [];
    private readonly CancellationTokenSource stop = new();

    public MarkerListener(IPAddress address)
    {
        listener = new TcpListener(address, 0);
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public async Task<string?> WaitAsync(string contains, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (lines)
            {
                if (lines.FirstOrDefault(l => l.Contains(contains, StringComparison.Ordinal)) is { } found)
                    return found;
            }

            await Task.Delay(500);
        }

        return null;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var line = await reader.ReadLineAsync(stop.Token);
                lock (lines)
                    lines.Add(line ?? "");
                await client.GetStream().WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                if (stop.IsCancellationRequested)
                    return;
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}
