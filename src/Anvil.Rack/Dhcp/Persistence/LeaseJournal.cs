using System.Globalization;
using System.Text;
using Anvil.Rack.Dhcp.Engine;

namespace Anvil.Rack.Dhcp.Persistence;

/// <summary>
/// Leases on disk as an append-only journal of text lines, one per change:
/// <c>c &lt;mac&gt; &lt;address&gt; &lt;expires ticks&gt; &lt;lease seconds&gt; [hostname]</c> for a commit and
/// <c>e &lt;mac&gt; &lt;address&gt;</c> when a lease ends. Written through to the OS after every packet
/// that changed a lease but never fsynced, as Kea's memfile does: a crash of the process loses
/// nothing, a crash of the machine may lose the last moments, and clients then renew or rediscover.
/// Compaction rewrites the live leases to a new file and renames it over the old one.
/// </summary>
internal sealed class LeaseJournal : ILeaseJournal, IDisposable
{
    public const string FileName = "dhcp-leases.journal";

    private readonly string path;
    private readonly StringBuilder line = new(96);
    private FileStream stream;
    private bool dirty;

    public LeaseJournal(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        path = Path.Combine(dataDirectory, FileName);
        stream = OpenForAppend(path);
    }

    /// <summary>Lines written since the last compaction (or the load).</summary>
    public long Lines { get; private set; }

    /// <summary>The leases the journal in <paramref name="dataDirectory"/> holds (bound, by MAC); damaged lines are skipped.</summary>
    public static IReadOnlyList<StoredLease> Load(string dataDirectory, out long lines)
    {
        lines = 0;
        var file = Path.Combine(dataDirectory, FileName);
        var leases = new Dictionary<ulong, StoredLease>();
        if (!File.Exists(file))
            return [];
        foreach (var text in File.ReadLines(file))
        {
            lines++;
            var fields = text.Split(' ', 6);
            if (fields.Length < 3 || !ulong.TryParse(fields[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mac)
                || !uint.TryParse(fields[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address))
                continue;
            if (fields[0] == "c" && fields.Length >= 5
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                leases[mac] = new StoredLease(mac, address, expires, seconds, fields.Length == 6 && fields[5].Length > 0 ? fields[5] : null);
            }
            else if (fields[0] == "e" && leases.TryGetValue(mac, out var known) && known.Address == address)
            {
                leases.Remove(mac);
            }
        }

        return [.. leases.Values];
    }

    /// <summary>True when the journal has grown well past the live leases and is worth rewriting.</summary>
    public bool ShouldCompact(int clients) => Lines > Math.Max(10_000, 4L * clients);

    public void Committed(DhcpLease lease)
    {
        line.Clear().Append("c ").Append(lease.Mac.ToString("x12", CultureInfo.InvariantCulture)).Append(' ')
            .Append(lease.Address.ToString("x8", CultureInfo.InvariantCulture)).Append(' ')
            .Append(lease.ExpiresTicks.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(lease.LeaseSeconds.ToString(CultureInfo.InvariantCulture));
        if (lease.Hostname is { Length: > 0 } hostname)
            AppendSafe(line.Append(' '), hostname);
        WriteLine();
    }

    public void Ended(DhcpLease lease)
    {
        line.Clear().Append("e ").Append(lease.Mac.ToString("x12", CultureInfo.InvariantCulture)).Append(' ')
            .Append(lease.Address.ToString("x8", CultureInfo.InvariantCulture));
        WriteLine();
    }

    /// <summary>Hands what was written to the OS (no fsync).</summary>
    public void Flush()
    {
        if (!dirty)
            return;
        stream.Flush(flushToDisk: false);
        dirty = false;
    }

    /// <summary>Rewrites the journal as just the live leases.</summary>
    public void Compact(IReadOnlyList<StoredLease> live)
    {
        var temporary = path + ".new";
        using (var writer = new StreamWriter(temporary, append: false, Encoding.ASCII))
        {
            foreach (var lease in live)
            {
                writer.Write($"c {lease.Mac:x12} {lease.Address:x8} {lease.ExpiresTicks} {lease.LeaseSeconds}");
                if (lease.Hostname is { Length: > 0 } hostname)
                    writer.Write(AppendSafe(new StringBuilder(" "), hostname).ToString());
                writer.Write('\n');
            }
        }

        stream.Dispose();
        File.Move(temporary, path, overwrite: true);
        stream = OpenForAppend(path);
        Lines = live.Count;
    }

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }

    private void WriteLine()
    {
        line.Append('\n');
        Span<byte> bytes = stackalloc byte[512];
        var count = Math.Min(line.Length, bytes.Length);
        for (var i = 0; i < count; i++)
            bytes[i] = (byte)line[i];
        stream.Write(bytes[..count]);
        dirty = true;
        Lines++;
    }

    /// <summary>Hostnames are client input: only printable ASCII without spaces reaches the journal.</summary>
    private static StringBuilder AppendSafe(StringBuilder builder, string text)
    {
        foreach (var ch in text.AsSpan(0, Math.Min(text.Length, 255)))
            builder.Append(ch is > ' ' and <= '~' ? ch : '_');
        return builder;
    }

    private static FileStream OpenForAppend(string file) =>
        new(file, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
}
