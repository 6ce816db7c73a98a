using System.Net;
using System.Runtime.InteropServices;
using Anvil.Rack.Boot;
using Anvil.Rack.Metrics;
using Anvil.Rack.Tftp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anvil.Benchmarks.Tftp;

/// <summary>
/// <c>tftp-server --listen 127.0.0.1:6969 --root DIR</c>: Anvil's TFTP server alone, serving the
/// files of a directory, until interrupted; bench/tftp/run.sh drives real clients against it and
/// against tftpd-hpa. Prints "listening on ENDPOINT" once bound and the TFTP counters on exit.
/// </summary>
internal static class TftpServerMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var metrics = new RackMetrics();
        await using var server = new TftpServer(
            new DirectoryFiles(options.Root), metrics, NullLogger<TftpServer>.Instance, new TftpServerOptions { Endpoint = options.Listen });
        await server.StartAsync(ct);
        Console.WriteLine($"listening on {server.LocalEndPoint}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await server.StopAsync(CancellationToken.None);
        Console.Write(metrics.RenderPrometheus());
        return 0;
    }

    internal sealed record Options(IPEndPoint Listen, string Root)
    {
        public static Options Parse(IReadOnlyList<string> args)
        {
            IPEndPoint? listen = null;
            string? root = null;
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--listen":
                        listen = IPEndPoint.Parse(value);
                        break;
                    case "--root":
                        root = Path.GetFullPath(value);
                        break;
                    default:
                        throw new ArgumentException($"unknown option {args[i]}; use --listen ADDRESS:PORT --root DIR.");
                }

                i++;
            }

            if (listen is null || root is null || !Directory.Exists(root))
                throw new ArgumentException("--listen ADDRESS:PORT and --root DIR (an existing directory) are required.");
            return new Options(listen, root);
        }
    }

    /// <summary>Files under one directory, the way tftpd-hpa's <c>-s</c> serves them.</summary>
    private sealed class DirectoryFiles(string root) : IBootFileProvider
    {
        public ValueTask<BootFile?> OpenAsync(string path, BootClient client, CancellationToken ct)
        {
            var full = Path.GetFullPath(Path.Combine(root, path));
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
                return ValueTask.FromResult<BootFile?>(null);
            var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 65536, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return ValueTask.FromResult<BootFile?>(new BootFile(stream, stream.Length));
        }
    }
}
