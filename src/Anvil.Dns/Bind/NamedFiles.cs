namespace Anvil.Dns.Bind;

/// <summary>
/// Where each of Anvil's named files lives inside <see cref="NamedOptions.Directory"/>. The fragment
/// names follow MAAS's (<c>named.conf.maas</c>, <c>named.conf.options.inside.maas</c>) with Anvil's name.
/// </summary>
internal sealed class NamedFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The embedded named's whole configuration; not written for a system named.</summary>
    public string NamedConf => Path.Combine(Directory, "named.conf");

    /// <summary>Keys, controls and zones: included at the top level of named.conf.</summary>
    public string Zones => Path.Combine(Directory, "named.conf.anvil");

    /// <summary>Recursion, forwarders and DNSSEC validation: included inside the options statement.</summary>
    public string OptionsInside => Path.Combine(Directory, "named.conf.options.inside.anvil");

    /// <summary>The update key as a key statement; named includes it and <c>nsupdate -k</c> reads it.</summary>
    public string UpdateKey => Path.Combine(Directory, "keys.conf.anvil");

    /// <summary>The rndc key and the controls statement that opens the control channel.</summary>
    public string Controls => Path.Combine(Directory, "named.conf.rndc.anvil");

    public string RndcConf => Path.Combine(Directory, "rndc.conf");

    public string ZoneDirectory => Path.Combine(Directory, "zones");

    public string Log => Path.Combine(Directory, "named.log");

    /// <summary>What named logs before it has read its logging statement (e.g. why it cannot listen).</summary>
    public string StartLog => Path.Combine(Directory, "named.start.log");

    public string PidFile => Path.Combine(Directory, "named.pid");

    public string SessionKey => Path.Combine(Directory, "session.key");

    public string ZoneFile(string zone) => Path.Combine(ZoneDirectory, ZoneFilePrefix + zone);

    /// <summary>The zone a file in <see cref="ZoneDirectory"/> belongs to (its zone file, journal or journal backup), or null.</summary>
    public static string? ZoneOfFile(string fileName)
    {
        if (!fileName.StartsWith(ZoneFilePrefix, StringComparison.Ordinal))
            return null;
        var zone = fileName[ZoneFilePrefix.Length..];
        foreach (var suffix in JournalSuffixes)
        {
            if (zone.EndsWith(suffix, StringComparison.Ordinal))
                return zone[..^suffix.Length];
        }

        return zone;
    }

    public static IEnumerable<string> JournalsOf(string zoneFile) => JournalSuffixes.Select(suffix => zoneFile + suffix);

    private const string ZoneFilePrefix = "db.";

    // named's journal, the journal it writes while compacting, and the temporary files of a zone dump.
    private static readonly string[] JournalSuffixes = [".jnl", ".jbk"];
}
