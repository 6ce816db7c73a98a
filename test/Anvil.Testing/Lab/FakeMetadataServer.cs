using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Testing.Lab;

/// <summary>One <c>op=signal</c> as the server received it: form fields, uploaded files, the Authorization header.</summary>
public sealed record FakeSignal(string Status, IReadOnlyDictionary<string, string> Fields, IReadOnlyDictionary<string, string> Files, string Authorization)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A stand-in for the region's enlistment API and metadata server (maas-api.md §7) on loopback,
/// speaking the documented contract, so the script runner can be exercised on the host: the
/// enlistment preseed (no credentials), <c>is_registered</c>, anonymous create, the node's
/// preseed (credentials), <c>maas-scripts</c> tars in the order the test queues them, and
/// <c>op=signal</c>, recorded. Requests for scripts and signals must carry the node's token.
/// </summary>
public sealed partial class FakeMetadataServer : IAsyncDisposable
{
    public const string SystemId = "fake42";
    public const string ConsumerKey = "nodeconsumer";
    public const string TokenKey = "nodetoken";
    public const string TokenSecret = "nodesecret";

    private readonly HttpListener listener;
    private readonly Task loop;
    private readonly List<FakeSignal> signals = [];
    private readonly List<string> requests = [];
    private readonly List<Dictionary<string, string>> enlistments = [];
    private readonly Queue<byte[]?> tars = new();

    private FakeMetadataServer(HttpListener listener, int port)
    {
        this.listener = listener;
        Port = port;
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string EnlistPreseedUrl => $"{BaseUrl}/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed";

    public string NodePreseedUrl => $"{BaseUrl}/MAAS/metadata/latest/by-id/{SystemId}/?op=get_preseed";

    /// <summary>What <c>is_registered</c> answers.</summary>
    public bool Registered { get; set; }

    public IReadOnlyList<FakeSignal> Signals
    {
        get
        {
            lock (signals)
                return [.. signals];
        }
    }

    /// <summary>"METHOD path?query" of every request, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
                return [.. requests];
        }
    }

    /// <summary>The form fields of each anonymous machine create (repeated fields joined with a space).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Enlistments
    {
        get
        {
            lock (enlistments)
                return [.. enlistments];
        }
    }

    public static FakeMetadataServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeMetadataServer(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Queues the answer to the next <c>maas-scripts</c> request; null answers 204. The last one is repeated.</summary>
    public void QueueScripts(byte[]? tar)
    {
        lock (tars)
            tars.Enqueue(tar);
    }

    /// <summary>A <c>maas-scripts</c> tar: executable scripts at their paths and <c>index.json</c>.</summary>
    public static byte[] ScriptsTar(string indexJson, params (string Path, string Content)[] scripts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, content) in scripts)
                writer.WriteEntry(Entry(path, content, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
            writer.WriteEntry(Entry("index.json", indexJson, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopping ends the accept loop this way.
        }
    }

    private static UstarTarEntry Entry(string path, string content, UnixFileMode mode) =>
        new(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode };

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception e)
            {
                await RespondAsync(context.Response, 500, e.ToString());
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var op = request.QueryString["op"];
        lock (requests)
            requests.Add($"{request.HttpMethod} {request.Url.PathAndQuery}");
        var authorization = request.Headers["Authorization"] ?? "";
        var signed = authorization.Contains($"oauth_token=\"{TokenKey}\"", StringComparison.Ordinal)
            && authorization.Contains($"oauth_consumer_key=\"{ConsumerKey}\"", StringComparison.Ordinal)
            && authorization.Contains($"oauth_signature=\"%26{TokenSecret}\"", StringComparison.Ordinal);

        if (await AnswerDeploymentAsync(context, path, op, signed, authorization))
            return;

        switch (request.HttpMethod, path, op)
        {
            case ("GET", "/MAAS/metadata/latest/enlist-preseed/", "get_enlist_preseed"):
                await RespondAsync(context.Response, 200, $"#cloud-config\ndatasource:\n  MAAS:\n    metadata_url: {AdvertisedBaseUrl}/MAAS/metadata/\n");
                return;
            case ("GET", "/MAAS/api/2.0/machines/", "is_registered"):
                await RespondAsync(context.Response, 200, Registered ? "true" : "false");
                return;
            case ("POST", "/MAAS/api/2.0/machines/", _):
                var form = await ReadMultipartAsync(request);
                lock (enlistments)
                    enlistments.Add(form.Fields);
                await RespondAsync(context.Response, 200, $"{{\"system_id\": \"{SystemId}\", \"status\": 0}}");
                return;
            case ("GET", $"/MAAS/metadata/latest/by-id/{SystemId}/", "get_preseed"):
                // Flow style, as a YAML dump of the nested mapping may come out.
                await RespondAsync(
                    context.Response,
                    200,
                    $"#cloud-config\ndatasource: {{MAAS: {{consumer_key: {ConsumerKey}, metadata_url: '{AdvertisedBaseUrl}/MAAS/metadata/', token_key: {TokenKey}, token_secret: {TokenSecret}}}}}\n");
                return;
            case ("GET", "/MAAS/metadata/2012-03-01/maas-scripts", _) when signed:
                byte[]? tar;
                lock (tars)
                    tar = tars.Count > 1 ? tars.Dequeue() : tars.Count == 1 ? tars.Peek() : null;
                if (tar is null)
                {
                    context.Response.StatusCode = 204;
                    context.Response.Close();
                    return;
                }

                context.Response.ContentType = "application/x-tar";
                context.Response.ContentLength64 = tar.Length;
                await context.Response.OutputStream.WriteAsync(tar);
                context.Response.Close();
                return;
            case ("POST", "/MAAS/metadata/2012-03-01/", _) when signed:
                var signal = await ReadMultipartAsync(request);
                lock (signals)
                    signals.Add(new FakeSignal(signal.Fields.GetValueOrDefault("status", ""), signal.Fields, signal.Files, authorization));
                await RespondAsync(context.Response, 200, "OK");
                return;
            case (_, _, _) when path.StartsWith("/MAAS/metadata/2012-03-01/", StringComparison.Ordinal):
                await RespondAsync(context.Response, 403, "Not authenticated as a known node.");
                return;
            default:
                await RespondAsync(context.Response, 404, $"No {request.HttpMethod} {path} here.");
                return;
        }
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "text/plain";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    /// <summary>multipart/form-data: fields by name (repeats joined by a space) and files by part name, as text.</summary>
    private static async Task<(Dictionary<string, string> Fields, Dictionary<string, string> Files)> ReadMultipartAsync(HttpListenerRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var contentType = request.ContentType ?? "";
        var marker = contentType.IndexOf("boundary=", StringComparison.Ordinal);
        if (marker < 0)
            return (fields, files);
        var boundary = "--" + contentType[(marker + "boundary=".Length)..].Trim('"');
        // Latin-1 keeps one char per byte, so binary parts survive the split.
        var text = Encoding.Latin1.GetString(body.ToArray());
        foreach (var part in text.Split(boundary).Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
                break;
            var headerEnd = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
                continue;
            var headers = part[..headerEnd];
            var content = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(part[(headerEnd + 4)..^2]));
            var name = Attribute(headers, "name");
            if (name is null)
                continue;
            if (Attribute(headers, "filename") is not null)
                files[name] = content;
            else
                fields[name] = fields.TryGetValue(name, out var earlier) ? $"{earlier} {content}" : content;
        }

        return (fields, files);
    }

    private static string? Attribute(string headers, string attribute)
    {
        var key = $" {attribute}=\"";
        var start = headers.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
            return null;
        start += key.Length;
        var end = headers.IndexOf('"', start);
        return end < 0 ? null : headers[start..end];
    }
}
