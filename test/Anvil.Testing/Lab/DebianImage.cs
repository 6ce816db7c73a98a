using System.Diagnostics;
using System.Text.Json;

namespace Anvil.Testing.Lab;

/// <summary>
/// Anvil's default deployable OS as <c>scripts/debian-image.sh</c> builds it (debootstrap,
/// cached under /var/cache/anvil/images/): a root tarball (MAAS file type root-tgz) and its
/// manifest. Built once per process; later tests share it.
/// </summary>
public sealed class DebianImage
{
    /// <summary>A first build downloads ~220 packages and packs a few hundred MB.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    private static readonly Lazy<Task<DebianImage>> Shared = new(BuildOrReuseAsync);

    private DebianImage(string directory, string log, TimeSpan elapsed)
    {
        Directory = directory;
        BuildLog = log;
        Elapsed = elapsed;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        Sha256 = manifest.RootElement.GetProperty("sha256").GetString()!;
        Size = manifest.RootElement.GetProperty("size").GetInt64();
        FileType = manifest.RootElement.GetProperty("filetype").GetString()!;
    }

    public string Directory { get; }

    /// <summary>The root file system tarball.</summary>
    public string RootTarball => Path.Combine(Directory, "root-tgz");

    public string FileType { get; }

    public string Sha256 { get; }

    public long Size { get; }

    /// <summary>What the script said: built (and how long it took) or reused.</summary>
    public string BuildLog { get; }

    /// <summary>How long getting the image took in this process.</summary>
    public TimeSpan Elapsed { get; }

    public static Task<DebianImage> GetAsync() => Shared.Value;

    private static async Task<DebianImage> BuildOrReuseAsync()
    {
        var clock = Stopwatch.StartNew();
        var script = Path.Combine(EphemeralImage.RepositoryRoot(), "scripts", "debian-image.sh");
        var result = await Network.HostCommand.TryRunAsync(BuildTimeout, script);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"scripts/debian-image.sh exited {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return new DebianImage(result.Output.Trim(), result.Error.Trim(), clock.Elapsed);
    }
}
