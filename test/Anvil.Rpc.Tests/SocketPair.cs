using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Anvil.Rpc.Tests;

/// <summary>Two WebSockets joined by a real TCP connection on loopback: one server side, one client side.</summary>
internal sealed class SocketPair : IDisposable
{
    private readonly TcpClient client;
    private readonly TcpClient server;

    private SocketPair(TcpClient client, TcpClient server)
    {
        this.client = client;
        this.server = server;
        Region = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true });
        Rack = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        RawRackStream = client.GetStream();
    }

    public WebSocket Region { get; }

    public WebSocket Rack { get; }

    /// <summary>The rack's raw byte stream, to send what no WebSocket client would.</summary>
    public NetworkStream RawRackStream { get; }

    public static async Task<SocketPair> CreateAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return new SocketPair(client, await accept);
    }

    public void Dispose()
    {
        Region.Dispose();
        Rack.Dispose();
        client.Dispose();
        server.Dispose();
    }
}
