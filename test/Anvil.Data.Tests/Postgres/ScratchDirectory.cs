using Anvil.Data.Postgres;

namespace Anvil.Data.Tests.Postgres;

/// <summary>A fresh directory under /tmp (reachable by the postgres user); any cluster in it is stopped and the directory removed on dispose.</summary>
internal sealed class ScratchDirectory : IAsyncDisposable
{
    public ScratchDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "anvil-mp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public async ValueTask DisposeAsync()
    {
        foreach (var clusterRoot in Directory.EnumerateDirectories(Path, "postgres", SearchOption.AllDirectories).Select(System.IO.Path.GetDirectoryName))
        {
            await new ManagedPostgres(new ManagedPostgresOptions { DataDirectory = clusterRoot! }).StopAsync(CancellationToken.None);
        }

        Directory.Delete(Path, recursive: true);
    }
}
