namespace Anvil.Rack.Boot;

/// <summary>
/// The directory of bootloaders and images that the rack serves by name over TFTP and HTTP. A name
/// is never allowed out of it: NUL and <c>..</c> are refused, leading slashes mean the directory
/// itself, and the file's real path (symbolic links resolved) must still be inside it, both before
/// opening and, for the descriptor actually opened, after.
/// </summary>
internal sealed class BootResourcesDirectory
{
    private readonly string rootPrefix;

    public BootResourcesDirectory(string root)
    {
        Root = RealPath.Resolve(root) is { } real && Directory.Exists(real)
            ? real
            : throw new DirectoryNotFoundException($"Boot resources directory {root} does not exist; create it or point the rack at another one.");
        rootPrefix = Root == "/" ? "/" : Root + "/";
    }

    /// <summary>The real path of the directory.</summary>
    public string Root { get; }

    /// <summary>The regular file <paramref name="name"/> below the directory opened for reading, or null.</summary>
    public FileStream? Open(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            return null;
        // TFTP clients written for Windows servers send backslashes.
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(part => part is "." or ".."))
            return null;

        var real = RealPath.Resolve(Path.Join(Root, string.Join('/', parts)));
        if (real is null || !IsInside(real) || Directory.Exists(real))
            return null;

        FileStream stream;
        try
        {
            stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // A link swapped between the check and the open would otherwise go unnoticed.
        if (!IsInside(OpenedPath(stream)))
        {
            stream.Dispose();
            return null;
        }

        return stream;
    }

    private bool IsInside(string? path) => path is not null && path.StartsWith(rootPrefix, StringComparison.Ordinal);

    private static string? OpenedPath(FileStream stream)
    {
        var descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt64();
        try
        {
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
