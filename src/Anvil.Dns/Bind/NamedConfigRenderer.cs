using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Anvil.Dns.Tsig;

namespace Anvil.Dns.Bind;

/// <summary>The text of each configuration file. Inputs are already checked by <see cref="NamedConfigWriter"/>.</summary>
internal static class NamedConfigRenderer
{
    private const string Header = "// Written by Anvil; edits are overwritten.\n";

    public static string NamedConf(NamedOptions options, NamedFiles files)
    {
        var text = new StringBuilder(Header);
        text.Append("options {\n");
        text.Append(CultureInfo.InvariantCulture, $"\tdirectory \"{files.Directory}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"\tpid-file \"{files.PidFile}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"\tsession-keyfile \"{files.SessionKey}\";\n");
        AppendListen(text, "listen-on", options.Listen.Where(e => e.AddressFamily == AddressFamily.InterNetwork));
        AppendListen(text, "listen-on-v6", options.Listen.Where(e => e.AddressFamily == AddressFamily.InterNetworkV6));
        text.Append(CultureInfo.InvariantCulture, $"\tinclude \"{files.OptionsInside}\";\n");
        text.Append("\tallow-query { any; };\n");
        text.Append("\tallow-transfer { none; };\n");
        // Anvil is the only server for its zones: no secondaries to notify.
        text.Append("\tnotify no;\n");
        // Answers without authority and additional sections: smaller packets, more queries per second.
        text.Append("\tminimal-responses yes;\n");
        text.Append("\tversion none;\n");
        text.Append("\thostname none;\n");
        text.Append("\tserver-id none;\n");
        text.Append("};\n");
        text.Append(CultureInfo.InvariantCulture, $"include \"{files.Zones}\";\n");
        text.Append("logging {\n");
        text.Append(CultureInfo.InvariantCulture,
            $"\tchannel anvil {{ file \"{files.Log}\" versions 3 size 20m; severity info; print-time yes; print-category yes; print-severity yes; }};\n");
        text.Append("\tcategory default { anvil; };\n");
        // Every added or deleted record is an info line here: tens of megabytes per bulk load.
        text.Append("\tcategory update { null; };\n");
        text.Append("\tcategory update-security { null; };\n");
        text.Append("\tcategory lame-servers { null; };\n");
        text.Append("};\n");
        return text.ToString();
    }

    public static string Zones(NamedOptions options, NamedFiles files, IReadOnlyList<NamedZone> primaries, IReadOnlyList<(string Name, IReadOnlyList<IPAddress> Servers)> forwards)
    {
        var text = new StringBuilder(Header);
        text.Append(CultureInfo.InvariantCulture, $"include \"{files.UpdateKey}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"include \"{files.Controls}\";\n");
        foreach (var zone in primaries)
        {
            text.Append(CultureInfo.InvariantCulture, $"zone \"{zone.Name}\" {{\n");
            text.Append("\ttype primary;\n");
            text.Append(CultureInfo.InvariantCulture, $"\tfile \"{files.ZoneFile(zone.Name)}\";\n");
            text.Append(CultureInfo.InvariantCulture, $"\tallow-update {{ key \"{options.UpdateKey.Name}\"; }};\n");
            text.Append(CultureInfo.InvariantCulture, $"\tallow-transfer {{ key \"{options.UpdateKey.Name}\"; }};\n");
            text.Append("\tnotify no;\n");
            // BIND 9.18.28+ caps an RRset at 100 records and then refuses the whole UPDATE that
            // would exceed it; a MAAS name may carry more addresses than that.
            text.Append("\tmax-records-per-type 0;\n");
            text.Append("};\n");
        }

        foreach (var (name, servers) in forwards)
        {
            text.Append(CultureInfo.InvariantCulture, $"zone \"{name}\" {{\n");
            text.Append("\ttype forward;\n");
            text.Append("\tforward only;\n");
            text.Append(CultureInfo.InvariantCulture, $"\tforwarders {{ {AddressList(servers)} }};\n");
            text.Append("};\n");
        }

        return text.ToString();
    }

    public static string OptionsInside(NamedOptions options, IReadOnlyList<string> trusted, IReadOnlyList<string> forwardedZones)
    {
        var text = new StringBuilder(Header);
        // Recursion only when something needs it: upstream resolvers, forwarded domains or clients
        // trusted to recurse. Then only for this host, its networks and the trusted clients.
        var recurse = options.Forwarders.Count > 0 || forwardedZones.Count > 0 || trusted.Count > 0;
        if (!recurse)
        {
            text.Append("recursion no;\n");
            // Validation serves only recursion, and with it on named fetches the root trust anchor at start.
            text.Append("dnssec-validation no;\n");
            return text.ToString();
        }

        var clients = string.Concat(["localhost; localnets; ", .. trusted.Select(t => t + "; ")]);
        text.Append("recursion yes;\n");
        text.Append(CultureInfo.InvariantCulture, $"allow-recursion {{ {clients}}};\n");
        text.Append(CultureInfo.InvariantCulture, $"allow-query-cache {{ {clients}}};\n");
        if (options.Forwarders.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"forwarders {{ {AddressList(options.Forwarders)} }};\n");
        text.Append(CultureInfo.InvariantCulture, $"dnssec-validation {options.DnssecValidation};\n");
        // Forwarded domains are usually private and unsigned, under names the public tree cannot vouch for.
        if (forwardedZones.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"validate-except {{ {string.Concat(forwardedZones.Select(z => $"\"{z}\"; "))}}};\n");
        return text.ToString();
    }

    /// <summary>A key statement: named includes it and <c>nsupdate -k</c> reads it.</summary>
    public static string Key(TsigKey key) =>
        $"key \"{key.Name}\" {{\n\talgorithm {key.BindAlgorithmName};\n\tsecret \"{key.SecretBase64}\";\n}};\n";

    public static string Controls(NamedOptions options) =>
        Header + Key(options.RndcKey) + string.Create(CultureInfo.InvariantCulture,
            $"controls {{\n\tinet 127.0.0.1 port {options.ControlPort} allow {{ 127.0.0.1; }} keys {{ \"{options.RndcKey.Name}\"; }};\n}};\n");

    public static string RndcConf(NamedOptions options) =>
        Header + Key(options.RndcKey) + string.Create(CultureInfo.InvariantCulture,
            $"options {{\n\tdefault-key \"{options.RndcKey.Name}\";\n\tdefault-server 127.0.0.1;\n\tdefault-port {options.ControlPort};\n}};\n");

    private static void AppendListen(StringBuilder text, string statement, IEnumerable<IPEndPoint> endpoints)
    {
        var any = false;
        foreach (var port in endpoints.GroupBy(e => e.Port).OrderBy(g => g.Key))
        {
            any = true;
            var addresses = port.Select(e => e.Address).Distinct().Select(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) ? "any" : a.ToString());
            text.Append(CultureInfo.InvariantCulture, $"\t{statement} port {port.Key} {{ {string.Concat(addresses.Select(a => a + "; "))}}};\n");
        }

        if (!any)
            text.Append(CultureInfo.InvariantCulture, $"\t{statement} {{ none; }};\n");
    }

    private static string AddressList(IEnumerable<IPAddress> addresses) =>
        string.Join(' ', addresses.Distinct().Select(a => a + ";"));
}
