namespace Anvil.Rack.Boot;

/// <summary>
/// The canonical path of an existing file or directory, every symbolic link along the way resolved
/// (what realpath(3) answers), or null when some part of it does not exist.
/// </summary>
internal static class RealPath
{
    // The same bound the kernel puts on nested links (ELOOP).
    private const int MaxLinks = 40;

    public static string? Resolve(string path)
    {
        var pending = new List<string>(Parts(Path.GetFullPath(path)));
        var current = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxLinks)
                    return null;
                if (target.StartsWith('/'))
                    current = "/";
                pending.InsertRange(0, Parts(target));
                continue;
            }

            if (!File.Exists(next) && !Directory.Exists(next))
                return null;
            current = next;
        }

        return current;
    }

    private static string[] Parts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
