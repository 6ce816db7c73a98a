using System.Globalization;
using System.Runtime.CompilerServices;

namespace Anvil.Server.Lab;

/// <summary>
/// What a failed lab test leaves behind for whoever reads the CI log: files (serial consoles,
/// anvild's output with its DHCP/TFTP/HTTP access lines, the boot timeline) copied into
/// <c>artifacts/lab/&lt;test&gt;-&lt;time&gt;/</c> at the repository root (or under
/// <c>ANVIL_ARTIFACTS_DIR</c>). A test that passes keeps nothing.
/// </summary>
internal sealed class LabArtifacts
{
    private readonly Dictionary<string, Func<Task<string>>> sources = new(StringComparer.Ordinal);

    /// <summary>Adds a file to keep on failure; <paramref name="read"/> runs only then.</summary>
    public void Add(string name, Func<Task<string>> read) => sources[name] = read;

    public void Add(string name, Func<string> read) => sources[name] = () => Task.FromResult(read());

    /// <summary>Writes every source into a new directory and returns its path; a source that fails to read leaves its error instead.</summary>
    public async Task<string> KeepAsync([CallerMemberName] string test = "")
    {
        var root = Environment.GetEnvironmentVariable("ANVIL_ARTIFACTS_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "artifacts", "lab");
        var directory = Path.Combine(root, $"{test}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(directory);
        foreach (var (name, read) in sources)
        {
            string text;
            try
            {
                text = await read();
            }
            catch (Exception e)
            {
                text = $"(could not read {name}: {e.Message})";
            }

            await File.WriteAllTextAsync(Path.Combine(directory, name), text);
        }

        return directory;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Anvil.slnx")))
                return dir.FullName;
        }

        return Path.GetTempPath();
    }
}
