using System.Formats.Tar;

namespace Anvil.Region.Metadata;

/// <summary>
/// An uncompressed tar built in memory, read by Python's tarfile (MAAS's runner) and busybox tar.
/// Entries are ustar; a name too long for ustar falls back to a GNU long-name entry.
/// </summary>
internal sealed class TarArchive : IDisposable
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755
    public const UnixFileMode Regular = (UnixFileMode)0b110_100_100; // 0644

    private const int UstarNameLimit = 100;
    private readonly MemoryStream _buffer = new();
    private readonly TarWriter _writer;
    private readonly DateTimeOffset _mtime;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public TarArchive(DateTimeOffset mtime)
    {
        _mtime = mtime;
        _writer = new TarWriter(_buffer, leaveOpen: true);
    }

    public bool Contains(string name) => _names.Contains(name);

    public void Add(string name, ReadOnlySpan<byte> content, UnixFileMode mode = Executable)
    {
        TarEntry entry = name.Length <= UstarNameLimit
            ? new UstarTarEntry(TarEntryType.RegularFile, name)
            : new GnuTarEntry(TarEntryType.RegularFile, name);
        entry.Mode = mode;
        entry.ModificationTime = _mtime;
        entry.DataStream = new MemoryStream(content.ToArray(), writable: false);
        _writer.WriteEntry(entry);
        _names.Add(name);
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _buffer.ToArray();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }
}
