using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Rack.Power.Qemu;

/// <summary>
/// A QMP client on QEMU's Unix socket: reads the greeting, negotiates capabilities, then runs one
/// command at a time. Asynchronous events that arrive between commands are kept in
/// <see cref="Events"/> (by name) rather than mistaken for answers.
/// </summary>
internal sealed class QmpConnection : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;

    private QmpConnection(Socket socket, string path)
    {
        this.socket = socket;
        Path = path;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = new StreamReader(stream, new UTF8Encoding(false));
    }

    public string Path { get; }

    public List<string> Events { get; } = [];

    /// <summary>Connects and negotiates; socket and protocol failures come out as <see cref="PowerException"/>.</summary>
    public static async Task<QmpConnection> OpenAsync(string path, CancellationToken ct)
    {
        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException e)
        {
            throw new PowerException(PowerErrorKind.InvalidParameters, $"The QMP socket path '{path}' is not usable as a Unix socket address ({e.Message}).", e);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endpoint, ct);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PowerException(PowerErrorKind.Unreachable, $"Cannot connect to the QMP socket {path} ({e.Message}); is the VM's qemu running with -qmp unix:{path},server=on,wait=off?", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new QmpConnection(socket, path);
        try
        {
            var greeting = await connection.ReadMessageAsync("greeting", ct);
            if (greeting["QMP"] is null)
                throw new PowerException(PowerErrorKind.ProtocolError, $"The socket {path} did not greet with QMP.");
            await connection.ExecuteAsync("qmp_capabilities", ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> and returns its <c>return</c> value; a QMP error is a <see cref="QmpException"/>.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes(new JsonObject { ["execute"] = command }.ToJsonString() + "\n");
        await stream.WriteAsync(line, ct);
        while (true)
        {
            var message = await ReadMessageAsync(command, ct);
            if (message.TryGetPropertyValue("return", out var result))
                return result;
            if (message["error"] is JsonObject error)
                throw new QmpException(command, Text(error["class"]) ?? "?", Text(error["desc"]) ?? "");
            if (Text(message["event"]) is { } name)
                Events.Add(name);
        }
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        stream.Dispose();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<JsonObject> ReadMessageAsync(string waitingFor, CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct)
            ?? throw new PowerException(PowerErrorKind.ProtocolError, $"QEMU closed the QMP socket {Path} while we waited for the answer to {waitingFor}; another client may hold the monitor.");
        try
        {
            return JsonNode.Parse(line) as JsonObject
                ?? throw new PowerException(PowerErrorKind.ProtocolError, $"The QMP socket {Path} sent a message that is not a JSON object while we waited for {waitingFor}.");
        }
        catch (JsonException e)
        {
            throw new PowerException(PowerErrorKind.ProtocolError, $"The QMP socket {Path} sent something that is not JSON while we waited for {waitingFor}.", e);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
