using Npgsql;

namespace Anvil.Server;

/// <summary>
/// anvild's settings, from (lowest to highest precedence) <c>/etc/anvil/anvild.json</c> or
/// <c>--config</c>, <c>ANVIL_*</c> environment variables, and command-line flags.
/// </summary>
internal sealed record AnvildOptions
{
    public const string DefaultDataDir = "/var/lib/anvil";

    /// <summary><c>region</c>, <c>rack</c> or <c>region+rack</c>.</summary>
    public string Role { get; init; } = "region+rack";

    /// <summary>Where the managed PostgreSQL cluster and the bootstrap credentials live.</summary>
    public string DataDir { get; init; } = DefaultDataDir;

    /// <summary>An Npgsql connection string; empty means the managed private cluster in <see cref="DataDir"/>.</summary>
    public string Database { get; init; } = "";

    /// <summary>Where the region's HTTP API listens.</summary>
    public string Listen { get; init; } = "http://0.0.0.0:5240";

    /// <summary>The URL printed for operators; derived from <see cref="Listen"/> when empty.</summary>
    public string MaasUrl { get; init; } = "";

    /// <summary>Override for the PostgreSQL binaries (default: newest under /usr/lib/postgresql).</summary>
    public string PostgresBin { get; init; } = "";

    /// <summary>Rack role: the region URLs to link to, comma-separated (region+rack links to itself).</summary>
    public string Region { get; init; } = "";

    /// <summary>Rack role: the shared secret (hex), or <c>@/path/to/file</c>; region+rack reads it from the database.</summary>
    public string Secret { get; init; } = "";

    /// <summary>Rack role: interfaces to report and serve, comma-separated; empty means all but loopback.</summary>
    public string RackInterfaces { get; init; } = "";

    /// <summary>Rack role: the directory bootloaders and images are served from; empty means <c>&lt;data-dir&gt;/boot-resources</c>.</summary>
    public string BootResources { get; init; } = "";

    /// <summary>Rack role: where the HTTP boot server listens (boot scripts, images, the /MAAS/ proxy).</summary>
    public string RackHttpListen { get; init; } = "http://0.0.0.0:5248";

    /// <summary>Rack role: the TFTP server's address and port.</summary>
    public string TftpListen { get; init; } = "0.0.0.0:69";

    /// <summary>Rack role: lease events are sent to the region as soon as this many wait…</summary>
    public int LeaseBatchSize { get; init; } = 100;

    /// <summary>…or this many milliseconds after the first of a batch arrived.</summary>
    public int LeaseFlushMs { get; init; } = 250;

    /// <summary>Region role: seconds between power-state polls of every machine (each pass is spread over this interval).</summary>
    public int PowerPollInterval { get; init; } = 60;

    /// <summary>Region role: <c>embedded</c> runs and publishes to its own named; <c>off</c> serves no DNS.</summary>
    public string Dns { get; init; } = "embedded";

    /// <summary>Region role: where the embedded named answers, comma-separated address:port pairs.</summary>
    public string DnsListen { get; init; } = "0.0.0.0:53";

    /// <summary>Region role: rndc's port on 127.0.0.1 for the embedded named (MAAS uses 954).</summary>
    public int DnsControlPort { get; init; } = 954;

    public IReadOnlyList<System.Net.IPEndPoint> DnsListenEndpoints =>
        [.. DnsListen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => System.Net.IPEndPoint.TryParse(e, out var endpoint) ? endpoint : null).OfType<System.Net.IPEndPoint>()];

    public IReadOnlyList<string> RegionUrls => [.. Region.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public IReadOnlyList<string> RackInterfaceNames => [.. RackInterfaces.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public string BootResourcesDir => BootResources.Length > 0 ? BootResources : Path.Combine(DataDir, "boot-resources");

    public bool IsRegion => Role is "region" or "region+rack";

    public bool IsRack => Role is "rack" or "region+rack";

    /// <summary>Every problem with the settings, each with how to fix it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Role is not ("region" or "rack" or "region+rack"))
            errors.Add($"role '{Role}' is not valid: use --role region, --role rack or --role region+rack.");
        if (!Path.IsPathFullyQualified(DataDir))
            errors.Add($"data-dir '{DataDir}' must be an absolute path, e.g. --data-dir {DefaultDataDir}.");
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
            errors.Add($"listen '{Listen}' is not an http(s) URL: use e.g. --listen http://0.0.0.0:5240.");
        if (MaasUrl.Length > 0 && !Uri.TryCreate(MaasUrl, UriKind.Absolute, out _))
            errors.Add($"maas-url '{MaasUrl}' is not an absolute URL: use e.g. --maas-url http://10.0.0.1:5240/MAAS.");
        if (Database.Length > 0)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(Database);
            }
            catch (ArgumentException e)
            {
                errors.Add($"database is not a valid connection string ({e.Message}): use e.g. --database \"Host=db;Username=anvil;Password=...;Database=anvil\".");
            }
        }

        if (IsRack && !System.Net.IPEndPoint.TryParse(TftpListen, out _))
            errors.Add($"tftp-listen '{TftpListen}' is not an address and port: use e.g. --tftp-listen 0.0.0.0:69.");
        if (IsRack && LeaseBatchSize is < 1 or > 10_000)
            errors.Add($"lease-batch-size {LeaseBatchSize} is out of range: use 1 to 10000 (default 100).");
        if (IsRack && LeaseFlushMs is < 1 or > 60_000)
            errors.Add($"lease-flush-ms {LeaseFlushMs} is out of range: use 1 to 60000 (default 250).");
        if (IsRegion && PowerPollInterval is < 1 or > 86_400)
            errors.Add($"power-poll-interval {PowerPollInterval} is out of range: use 1 to 86400 seconds (default 60).");
        if (Role == "rack")
        {
            if (RegionUrls.Count == 0)
                errors.Add("the rack role needs the region to link to: use --region http://<region>:5240/MAAS.");
            foreach (var url in RegionUrls.Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
                errors.Add($"region '{url}' is not an http(s) URL: use e.g. --region http://10.0.0.1:5240/MAAS.");
            if (Secret.Length == 0)
                errors.Add("the rack role needs the region's shared secret: use --secret <hex> or --secret @/path/to/secret (the region writes it to <data-dir>/secret).");
        }

        if (IsRegion && Dns is not ("embedded" or "off"))
            errors.Add($"dns '{Dns}' is not valid: use --dns embedded (run named) or --dns off.");
        if (IsRegion && Dns == "embedded")
        {
            var listed = DnsListen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (listed.Length == 0 || listed.Length != DnsListenEndpoints.Count)
                errors.Add($"dns-listen '{DnsListen}' is not a list of address:port pairs: use e.g. --dns-listen 0.0.0.0:53.");
            if (DnsControlPort is < 1 or > 65535)
                errors.Add($"dns-control-port {DnsControlPort} is out of range: use 1 to 65535 (default 954).");
            if (!File.Exists("/usr/sbin/named"))
                errors.Add("the embedded DNS server needs BIND 9: apt-get install bind9 (or use --dns off).");
        }

        if (PostgresBin.Length > 0 && !File.Exists(Path.Combine(PostgresBin, "initdb")))
            errors.Add($"postgres-bin '{PostgresBin}' has no initdb: point it at a PostgreSQL bin directory such as /usr/lib/postgresql/15/bin.");
        return errors;
    }

    /// <summary>The URL operators should use, e.g. <c>http://10.0.0.1:5240/MAAS</c>.</summary>
    public string PublicUrl()
    {
        if (MaasUrl.Length > 0)
            return MaasUrl.TrimEnd('/');
        var listen = new Uri(Listen);
        var host = listen.Host is "0.0.0.0" or "[::]" or "*" or "+" ? PrimaryAddress() : listen.Host;
        return $"{listen.Scheme}://{host}:{listen.Port}/MAAS";
    }

    private static string PrimaryAddress()
    {
        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up &&
                        n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return address?.ToString() ?? "localhost";
    }
}
