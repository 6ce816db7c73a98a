using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Anvil.Domain.Errors;
using Microsoft.Extensions.Logging;

namespace Anvil.Rpc;

/// <summary>Runs one call that arrived over the link and returns its result (serialised as the reply body).</summary>
public delegate Task<object?> LinkCallHandler(string method, JsonElement args, CancellationToken ct);

/// <summary>
/// One authenticated WebSocket between a rack and a region, carrying calls both ways: either side
/// may call the other while its own calls are in flight. Incoming calls run concurrently; a frame
/// that cannot be read closes the connection (the peer is broken or not one of ours). Every call
/// still pending when the connection ends fails with a <see cref="LinkException"/>.
/// </summary>
public sealed class LinkConnection : IAsyncDisposable
{
    /// <summary>Largest frame accepted: a rack config with tens of thousands of hosts fits.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    private readonly WebSocket socket;
    private readonly LinkCallHandler handler;
    private readonly ILogger logger;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> pending = new();
    private readonly CancellationTokenSource closing = new();
    private long nextId;
    private int inFlight;
    private Task? receiving;

    internal LinkConnection(WebSocket socket, string peerName, LinkCallHandler handler, ILogger logger)
    {
        this.socket = socket;
        this.handler = handler;
        this.logger = logger;
        PeerName = peerName;
    }

    /// <summary>Who is on the other side: the rack's system_id, or the region's URL.</summary>
    public string PeerName { get; }

    /// <summary>Calls this side has sent that are not answered yet.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public bool IsOpen => socket.State == WebSocketState.Open && !closing.IsCancellationRequested;

    public DateTimeOffset LastUsed { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Completes when the connection has ended, for whatever reason.</summary>
    public Task Completion => receiving ?? Task.CompletedTask;

    /// <summary>Starts reading frames; called once the handshake has succeeded.</summary>
    internal void Start() => receiving = Task.Run(ReceiveLoopAsync);

    public async Task<TResult> CallAsync<TResult>(string method, object? args, CancellationToken ct)
    {
        var body = await CallAsync(method, args, ct);
        return body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default! : LinkJson.FromElement<TResult>(body);
    }

    public async Task<JsonElement> CallAsync(string method, object? args, CancellationToken ct)
    {
        if (!IsOpen)
            throw new LinkException($"The link to {PeerName} is closed.");
        var id = Interlocked.Increment(ref nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        Interlocked.Increment(ref inFlight);
        LastUsed = DateTimeOffset.UtcNow;
        try
        {
            await SendAsync(new LinkMessage { Type = LinkMessage.Call, Id = id, Method = method, Body = LinkJson.ToElement(args) }, ct);
            return await reply.Task.WaitAsync(ct);
        }
        finally
        {
            pending.TryRemove(id, out _);
            Interlocked.Decrement(ref inFlight);
            LastUsed = DateTimeOffset.UtcNow;
        }
    }

    internal async Task SendAsync(LinkMessage message, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, LinkJson.Options);
        await sendLock.WaitAsync(ct);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            throw new LinkException($"Sending to {PeerName} failed: {e.Message}", e);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Reads one whole frame, or null when the peer closed the socket.</summary>
    internal static async Task<LinkMessage?> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var frame = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                    return null;
                if (frame.Length + result.Count > MaxFrameBytes)
                    throw new LinkException($"A frame larger than {MaxFrameBytes} bytes arrived.");
                frame.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                    break;
            }

            try
            {
                return JsonSerializer.Deserialize<LinkMessage>(frame.GetBuffer().AsSpan(0, (int)frame.Length), LinkJson.Options)
                    ?? throw new LinkException("An empty frame arrived.");
            }
            catch (JsonException e)
            {
                throw new LinkException($"An unreadable frame arrived: {e.Message}", e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (!closing.IsCancellationRequested)
            {
                var message = await ReceiveAsync(socket, closing.Token);
                if (message is null)
                    break;
                switch (message.Type)
                {
                    case LinkMessage.Call:
                        _ = Task.Run(() => AnswerAsync(message));
                        break;
                    case LinkMessage.Reply when pending.TryGetValue(message.Id, out var reply):
                        reply.TrySetResult(message.Body ?? default);
                        break;
                    case LinkMessage.Failure when pending.TryGetValue(message.Id, out var failed):
                        failed.TrySetException(new LinkCallException(message.Method ?? "call", message.Error ?? new LinkError("internal", "no detail")));
                        break;
                    default:
                        // A late answer to a call that was cancelled, or a frame type this side does not know: ignore it.
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or LinkException or IOException or ObjectDisposedException)
        {
            failure = e;
            LinkLog.ConnectionFailed(logger, PeerName, e.Message);
        }
        finally
        {
            closing.Cancel();
            var ended = new LinkException($"The link to {PeerName} closed.", failure);
            foreach (var call in pending.Values)
                call.TrySetException(ended);
        }
    }

    private async Task AnswerAsync(LinkMessage call)
    {
        LinkMessage answer;
        try
        {
            var result = await handler(call.Method ?? "", call.Body ?? default, closing.Token);
            answer = new LinkMessage { Type = LinkMessage.Reply, Id = call.Id, Body = LinkJson.ToElement(result) };
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            answer = new LinkMessage { Type = LinkMessage.Failure, Id = call.Id, Method = call.Method, Error = ErrorFor(e) };
            if (ErrorFor(e).Kind == "internal")
                LinkLog.CallFailed(logger, call.Method ?? "", PeerName, e);
        }

        try
        {
            await SendAsync(answer, closing.Token);
        }
        catch (Exception e) when (e is LinkException or OperationCanceledException)
        {
            // The connection ended while the call ran; the caller sees its own failure.
        }
    }

    private static LinkError ErrorFor(Exception e) => e switch
    {
        LinkUnknownMethodException => new LinkError("unknown_method", e.Message),
        LinkReportableException reportable => new LinkError(reportable.Kind, e.Message),
        NotFoundException => new LinkError("not_found", e.Message),
        ValidationException or BadRequestException or JsonException => new LinkError("validation", e.Message),
        ForbiddenException or UnauthorizedException => new LinkError("forbidden", e.Message),
        ConflictException => new LinkError("conflict", e.Message),
        _ => new LinkError("internal", "The call failed; see the log of the side that ran it."),
    };

    public async ValueTask DisposeAsync()
    {
        closing.Cancel();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (receiving is not null)
            await receiving.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        socket.Dispose();
        closing.Dispose();
        sendLock.Dispose();
    }
}

/// <summary>The side that received a call has no handler by that name.</summary>
public sealed class LinkUnknownMethodException(string method) : Exception($"No method '{method}' on this side of the link.");
