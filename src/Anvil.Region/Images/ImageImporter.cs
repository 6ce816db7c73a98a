using Microsoft.Extensions.Logging;

namespace Anvil.Region.Images;

/// <summary>
/// Runs at most one import at a time for <c>boot-resources/?op=import</c>; <c>op=stop_import</c>
/// cancels it (partial files stay and the next import resumes them) and <c>op=is_importing</c>
/// reads <see cref="IsImporting"/>. The running import is awaited when the region shuts down.
/// </summary>
public sealed class ImageImporter(SimpleStreamsImporter importer, ILogger<ImageImporter> logger) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private CancellationTokenSource? cancel;
    private Task running = Task.CompletedTask;

    public bool IsImporting
    {
        get
        {
            lock (gate)
                return !running.IsCompleted;
        }
    }

    /// <summary>The outcome of the last import that finished.</summary>
    public ImportReport? LastReport { get; private set; }

    /// <summary>Starts an import unless one runs; returns the task of the one running either way.</summary>
    public Task Start()
    {
        lock (gate)
        {
            if (!running.IsCompleted)
                return running;
            cancel?.Dispose();
            cancel = new CancellationTokenSource();
            var token = cancel.Token;
            running = Task.Run(() => RunAsync(token), CancellationToken.None);
            return running;
        }
    }

    public void Stop()
    {
        lock (gate)
            cancel?.Cancel();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            LastReport = await importer.ImportAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LastReport = new ImportReport(0, 0, 0, ["The import was stopped."]);
        }
        catch (Exception e) when (e is ImportException or Npgsql.NpgsqlException or IOException or HttpRequestException)
        {
            ImagesLog.ImportFailed(logger, e);
            LastReport = new ImportReport(0, 0, 0, [e.Message]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task task;
        lock (gate)
        {
            cancel?.Cancel();
            task = running;
        }

        await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancel?.Dispose();
    }
}
