using System.Net;

namespace Anvil.Dns.Bind;

/// <summary>
/// Writes named's configuration for Anvil's zones into <see cref="NamedOptions.Directory"/>:
/// <list type="bullet">
/// <item><c>named.conf.anvil</c> — includes the keys and the control channel, and declares the zones (top level);</item>
/// <item><c>named.conf.options.inside.anvil</c> — recursion, forwarders, DNSSEC validation (inside <c>options { }</c>);</item>
/// <item><c>keys.conf.anvil</c> (mode 0600) — the update key, also readable by <c>nsupdate -k</c>;</item>
/// <item><c>named.conf.rndc.anvil</c> (0600) — the rndc key and <c>controls</c> on 127.0.0.1:<see cref="NamedOptions.ControlPort"/>;</item>
/// <item><c>rndc.conf</c> (0600) — for <c>rndc -c</c>;</item>
/// <item><c>zones/db.&lt;zone&gt;</c> — a zone file for each new zone;</item>
/// <item><c>named.conf</c> — only for the embedded named: its options and logging, including the fragments.</item>
/// </list>
/// A system named (<see cref="NamedMode.System"/>) includes the fragments from its own configuration,
/// e.g. with <c>Directory</c> = <c>/etc/bind/anvil</c>:
/// <code>
/// // /etc/bind/named.conf.local
/// include "/etc/bind/anvil/named.conf.anvil";
/// // /etc/bind/named.conf.options, inside options { }; remove your own forwarders,
/// // dnssec-validation, recursion, allow-recursion and allow-query-cache lines.
/// include "/etc/bind/anvil/named.conf.options.inside.anvil";
/// </code>
/// named must be able to read the directory (its key files are mode 0600: run the region as named's
/// user or give that user the files) and write <c>zones/</c> (the journals of dynamic updates), and no
/// other <c>controls</c> statement may use <see cref="NamedOptions.ControlPort"/>. Anvil's
/// <c>controls</c> statement replaces the channel named opens by itself on port 953 with
/// <c>rndc.key</c>; to keep that one too, declare it in your own configuration:
/// <code>
/// include "/etc/bind/rndc.key";
/// controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; } keys { "rndc-key"; }; };
/// </code>
/// </summary>
public static class NamedConfigWriter
{
    /// <summary>
    /// Writes every file whose text changed; writes a zone file only for a zone that has none yet (the
    /// zone then starts with SOA, NS and glue, and its records arrive as dynamic updates); deletes the
    /// zone files and journals of zones no longer in <paramref name="zones"/>. Returns whether anything
    /// changed, i.e. whether named needs <c>rndc reconfig</c>. Throws <see cref="ArgumentException"/>
    /// for options or zones named cannot take.
    /// </summary>
    public static bool Write(NamedOptions options, NamedZoneSet zones)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(zones);
        var files = new NamedFiles(options.Directory);
        var trusted = CheckOptions(options, files);
        var primaries = zones.Primaries
            .Select(z => z with { Name = BindName.Normalise(z.Name, "zone name"), NameServer = BindName.Normalise(z.NameServer, "name server") })
            .OrderBy(z => z.Name, StringComparer.Ordinal)
            .ToList();
        // A domain without servers has nothing to forward to: named resolves it as usual.
        var forwards = zones.Forwards
            .Where(f => f.Servers.Count > 0)
            .Select(f => (Name: BindName.Normalise(f.Name, "forwarded domain"), f.Servers))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        CheckUnique([.. primaries.Select(z => z.Name), .. forwards.Select(f => f.Name)]);

        Directory.CreateDirectory(files.Directory);
        Directory.CreateDirectory(files.ZoneDirectory);
        var changed = false;
        changed |= ConfigFile.WriteIfChanged(files.UpdateKey, NamedConfigRenderer.Key(options.UpdateKey), ConfigFile.Secret);
        changed |= ConfigFile.WriteIfChanged(files.Controls, NamedConfigRenderer.Controls(options), ConfigFile.Secret);
        changed |= ConfigFile.WriteIfChanged(files.RndcConf, NamedConfigRenderer.RndcConf(options), ConfigFile.Secret);
        changed |= ConfigFile.WriteIfChanged(files.OptionsInside, NamedConfigRenderer.OptionsInside(options, trusted, [.. forwards.Select(f => f.Name)]), ConfigFile.Readable);
        changed |= ConfigFile.WriteIfChanged(files.Zones, NamedConfigRenderer.Zones(options, files, primaries, [.. forwards.Select(f => (f.Name, f.Servers))]), ConfigFile.Readable);
        if (options.Mode == NamedMode.Embedded)
            changed |= ConfigFile.WriteIfChanged(files.NamedConf, NamedConfigRenderer.NamedConf(options, files), ConfigFile.Readable);

        foreach (var zone in primaries)
            changed |= WriteNewZoneFile(files, zone);
        changed |= DeleteOldZones(files, [.. primaries.Select(z => z.Name)]);
        return changed;
    }

    private static bool WriteNewZoneFile(NamedFiles files, NamedZone zone)
    {
        var path = files.ZoneFile(zone.Name);
        if (File.Exists(path))
            return false;
        // A journal left by an earlier zone of the same name would not match the new file.
        foreach (var journal in NamedFiles.JournalsOf(path))
            File.Delete(journal);
        ConfigFile.Write(path, ZoneFile.Render(zone, zone.Serial), ConfigFile.Readable);
        return true;
    }

    private static bool DeleteOldZones(NamedFiles files, HashSet<string> current)
    {
        var deleted = false;
        foreach (var path in Directory.EnumerateFiles(files.ZoneDirectory))
        {
            var zone = NamedFiles.ZoneOfFile(Path.GetFileName(path));
            if (zone is not null && !current.Contains(zone))
            {
                File.Delete(path);
                deleted = true;
            }
        }

        return deleted;
    }

    /// <summary>Checks the options and returns the trusted ACL as named spells it.</summary>
    private static List<string> CheckOptions(NamedOptions options, NamedFiles files)
    {
        if (!Path.IsPathFullyQualified(options.Directory) || files.Directory.IndexOfAny(['"', '\n', '\r', ';']) >= 0)
            throw new ArgumentException($"The named directory '{options.Directory}' must be an absolute path without quotes, semicolons or line breaks.", nameof(options));
        if (options.ControlPort is < 1 or > 65535)
            throw new ArgumentException($"The rndc port {options.ControlPort} is not a port.", nameof(options));
        if (options.UpdateKey is null || options.RndcKey is null)
            throw new ArgumentException("named needs an update key and an rndc key.", nameof(options));
        var updateKey = BindName.Normalise(options.UpdateKey.Name, "update key name");
        if (updateKey == BindName.Normalise(options.RndcKey.Name, "rndc key name"))
            throw new ArgumentException($"The update key and the rndc key are both named '{updateKey}'; named needs two names.", nameof(options));
        if (options.DnssecValidation is not ("auto" or "yes" or "no"))
            throw new ArgumentException($"dnssec_validation '{options.DnssecValidation}' must be auto, yes or no.", nameof(options));
        if (options.Mode == NamedMode.Embedded && options.Listen.Count == 0)
            throw new ArgumentException("The embedded named needs at least one address to listen on.", nameof(options));
        if (options.Listen.Any(e => e.Port == 0))
            throw new ArgumentException("named cannot listen on port 0.", nameof(options));
        return [.. options.TrustedAcl.Select(TrustedEntry)];
    }

    private static string TrustedEntry(string entry)
    {
        var text = entry?.Trim() ?? "";
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
            return address.ToString();
        if (IPNetwork.TryParse(text, out var network))
            return network.ToString();
        throw new ArgumentException($"'{entry}' in the trusted ACL is neither an address nor a CIDR.", nameof(entry));
    }

    private static void CheckUnique(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!seen.Add(name))
                throw new ArgumentException($"The zone '{name}' appears twice (as a zone Anvil serves, or as a forwarded domain).", nameof(names));
        }
    }
}
