using System.Diagnostics;

namespace Anvil.Testing.Lab;

/// <summary>
/// Anvil's ephemeral environment as <c>scripts/ephemeral.sh</c> builds it from Debian's packages
/// (kernel and initrd, cached under /var/cache/anvil/ephemeral/). The first test of a process to
/// ask builds or finds it; the others share the answer.
/// </summary>
public sealed class EphemeralImage
{
    /// <summary>A first build downloads about 150 packages and compresses ~130 MB.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    private static readonly Lazy<Task<EphemeralImage>> Shared = new(BuildOrReuseAsync);

    private EphemeralImage(string directory, string log, TimeSpan elapsed)
    {
        Directory = directory;
        BuildLog = log;
        Elapsed = elapsed;
    }

    /// <summary>The cache directory holding <c>boot-kernel</c>, <c>boot-initrd</c> and <c>manifest.txt</c>.</summary>
    public string Directory { get; }

    public string Kernel => Path.Combine(Directory, "boot-kernel");

    public string Initrd => Path.Combine(Directory, "boot-initrd");

    /// <summary>What the script said: whether it built (and how long that took) or reused the cache.</summary>
    public string BuildLog { get; }

    /// <summary>How long getting the image took in this process (a build, or a cache lookup).</summary>
    public TimeSpan Elapsed { get; }

    public long KernelBytes => new FileInfo(Kernel).Length;

    public long InitrdBytes => new FileInfo(Initrd).Length;

    /// <summary>The image, built once per cache key (see scripts/ephemeral.sh).</summary>
    public static Task<EphemeralImage> GetAsync() => Shared.Value;

    /// <summary>
    /// Installs kernel and initrd below <paramref name="bootResources"/> where the region names them
    /// for enlistment and commissioning (<c>anvil/amd64/generic/ephemeral/stable/</c>).
    /// </summary>
    public static async Task InstallAsync(string bootResources) =>
        await RunScriptAsync("--boot-resources", bootResources);

    /// <summary>The repository checkout the tests run from (the directory holding Anvil.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Anvil.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No Anvil.slnx above {AppContext.BaseDirectory}.");
    }

    private static async Task<EphemeralImage> BuildOrReuseAsync()
    {
        var clock = Stopwatch.StartNew();
        var (directory, log) = await RunScriptAsync();
        return new EphemeralImage(directory, log, clock.Elapsed);
    }

    private static async Task<(string Directory, string Log)> RunScriptAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "ephemeral.sh");
        var result = await Network.HostCommand.TryRunAsync(BuildTimeout, script, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"scripts/ephemeral.sh {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return (result.Output.Trim(), result.Error.Trim());
    }
}
