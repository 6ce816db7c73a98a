using System.Text;

namespace Anvil.Dns.Bind;

/// <summary>Writes a file only when its text changes, atomically, with its mode set before the text lands.</summary>
internal static class ConfigFile
{
    public const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Readable = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Returns whether the file was written (it was missing or its text differed).</summary>
    public static bool WriteIfChanged(string path, string text, UnixFileMode mode)
    {
        if (File.Exists(path))
        {
            if (File.GetUnixFileMode(path) != mode)
                File.SetUnixFileMode(path, mode);
            if (File.ReadAllText(path, Utf8) == text)
                return false;
        }

        Write(path, text, mode);
        return true;
    }

    /// <summary>Replaces the file; readers see the old text or the new, never a part.</summary>
    public static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        // The mode is set at creation so a secret is never readable by others, not even for a moment.
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            stream.Write(Utf8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
