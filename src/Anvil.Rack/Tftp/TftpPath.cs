namespace Anvil.Rack.Tftp;

/// <summary>
/// Turns a requested filename into the relative path handed to the file provider. Defence in
/// depth: the provider checks too, but a name that could leave the boot-resources directory never
/// reaches it. PXE firmware sends both <c>pxelinux.0</c> and <c>/pxelinux.0</c>, and some Windows
/// loaders use backslashes, so those are accepted.
/// </summary>
internal static class TftpPath
{
    /// <summary>The relative, '/'-separated path, or false when the name must be refused (access violation).</summary>
    public static bool TryNormalise(string requested, out string path)
    {
        path = "";
        var name = requested.Replace('\\', '/');
        if (name.StartsWith('/'))
            name = name[1..];

        // A second leading slash would make the name absolute again.
        if (name.Length == 0 || name.StartsWith('/'))
            return false;
        foreach (var c in name)
        {
            if (char.IsControl(c))
                return false;
        }

        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == ".."))
            return false;

        var kept = segments.Where(s => s != ".").ToArray();
        if (kept.Length == 0)
            return false;
        path = string.Join('/', kept);
        return true;
    }
}
