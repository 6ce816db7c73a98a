using System.Runtime.InteropServices;
using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Region;
using Anvil.Region.Dns;
using Anvil.Region.RackLink;
using Anvil.Rpc;
using Npgsql;

namespace Anvil.Server;

/// <summary>
/// anvild: <c>anvild [run] [--role region|rack|region+rack] [--data-dir DIR] [--database CONN] [--listen URL]</c>,
/// <c>anvild createadmin --username U --password P [--email E]</c>, <c>anvild apikey --username U</c>,
/// <c>anvild migrate</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var (command, rest) = args.Length > 0 && !args[0].StartsWith('-') ? (args[0], args[1..]) : ("run", args);
        IConfiguration configuration;
        AnvildOptions options;
        try
        {
            configuration = AnvildConfiguration.Build(rest);
            options = AnvildConfiguration.Bind(configuration);
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or InvalidDataException)
        {
            return Fail($"anvild: cannot read the configuration: {e.Message}");
        }

        var errors = options.Validate();
        if (errors.Count > 0)
            return Fail("anvild: invalid configuration:\n  " + string.Join("\n  ", errors));

        using var cancel = new CancellationTokenSource();
        return command switch
        {
            "run" => await RunAsync(options, rest, cancel.Token),
            "migrate" => await WithDatabaseAsync(options, (_, _) => Task.FromResult(0), cancel.Token),
            "createadmin" => await WithDatabaseAsync(options, (db, ct) => CreateAdminAsync(db, configuration, ct), cancel.Token),
            "apikey" => await WithDatabaseAsync(options, (db, ct) => ApiKeyAsync(db, configuration, ct), cancel.Token),
            "help" or "--help" or "-h" => Help(),
            _ => Fail($"anvild: unknown command '{command}'.") + Help(),
        };
    }

    private static async Task<int> RunAsync(AnvildOptions options, string[] args, CancellationToken ct)
    {
        if (!options.IsRegion)
            return await RunRackAsync(options, ct);

        using var loggers = ConsoleLoggers();
        var launcher = new DatabaseLauncher(options, loggers);
        string connectionString;
        try
        {
            connectionString = await launcher.StartAsync(ct);
        }
        catch (Exception e) when (e is Anvil.Data.Postgres.ManagedPostgresException or NpgsqlException)
        {
            return Fail($"anvild: the database is not available: {e.Message}");
        }

        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseUrls(options.Listen);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(new Anvil.Region.Images.ImageStoreOptions(Path.Combine(options.DataDir, "images")));
            builder.Services.AddAnvilData(connectionString);
            builder.Services.AddRegion();
            builder.Services.AddSingleton(new Anvil.Region.Power.PowerPollerOptions { Interval = TimeSpan.FromSeconds(options.PowerPollInterval) });
            builder.Services.AddRackLink(new RackLinkOptions(options.PublicUrl()));
            if (DnsRole.Options(options) is { } dns)
                builder.Services.AddDns(dns);
            var app = builder.Build();
            app.UseRackLink();
            app.MapRegion();

            var key = await AdminBootstrap.EnsureAsync(app.Services.GetRequiredService<Database>(), options, ct);
            var secret = await app.Services.GetRequiredService<LinkSecretStore>().GetOrCreateAsync(ct);
            WriteSecretFile(options, secret);
            await app.StartAsync(ct);
            await using var rack = options.IsRack
                ? await RackRole.StartAsync(options, [LoopbackRegionUrl(options)], secret, loggers, ct)
                : null;
            Console.WriteLine();
            Console.WriteLine($"Anvil ({options.Role}) is running.");
            Console.WriteLine($"  URL:           {options.PublicUrl()}");
            Console.WriteLine($"  Admin API key: {key}");
            Console.WriteLine($"  Log in:        anvil login admin {options.PublicUrl()} {key}");
            Console.WriteLine();
            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        }
        finally
        {
            await launcher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The console loggers outside the region's host, which the rack's services (its Kestrel too) log
    /// through: filtered like the host's, else every boot-file and proxied request is three lines
    /// (ASP.NET's start and finish besides the rack's own one).
    /// </summary>
    private static ILoggerFactory ConsoleLoggers() =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Npgsql", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning));

    private static async Task<int> RunRackAsync(AnvildOptions options, CancellationToken ct)
    {
        using var loggers = ConsoleLoggers();
        SharedSecret secret;
        try
        {
            secret = RackRole.ReadSecret(options.Secret);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail($"anvild: cannot read the shared secret: {e.Message}");
        }

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
        await using (await RackRole.StartAsync(options, options.RegionUrls, secret, loggers, ct))
        {
            Console.WriteLine($"Anvil (rack) is running, linking to {string.Join(", ", options.RegionUrls)}.");
            await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return 0;
    }

    /// <summary>The rack of a region+rack process links to its own region over loopback.</summary>
    private static string LoopbackRegionUrl(AnvildOptions options) => $"http://127.0.0.1:{new Uri(options.Listen).Port}/MAAS";

    /// <summary>Racks on other hosts need the secret: it is left where the operator can copy it (root only).</summary>
    private static void WriteSecretFile(AnvildOptions options, SharedSecret secret)
    {
        var path = Path.Combine(options.DataDir, "secret");
        Directory.CreateDirectory(options.DataDir);
        File.WriteAllText(path, secret.ToHex() + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static async Task<int> WithDatabaseAsync(AnvildOptions options, Func<Database, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        using var loggers = ConsoleLoggers();
        var launcher = new DatabaseLauncher(options, loggers);
        try
        {
            var connectionString = await launcher.StartAsync(ct);
            Anvil.Data.Postgres.DapperConventions.Apply();
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            return await work(new Database(dataSource), ct);
        }
        catch (Exception e) when (e is Anvil.Data.Postgres.ManagedPostgresException or NpgsqlException or InvalidOperationException)
        {
            return Fail($"anvild: {e.Message}");
        }
        finally
        {
            await launcher.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> CreateAdminAsync(Database db, IConfiguration configuration, CancellationToken ct)
    {
        var username = configuration["Username"];
        var password = configuration["Password"];
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            return Fail("anvild createadmin: --username and --password are required.");
        await AdminBootstrap.CreateAdminAsync(db, username, configuration["Email"] ?? "", password, ct);
        Console.WriteLine($"Created administrator '{username}'.");
        return 0;
    }

    private static async Task<int> ApiKeyAsync(Database db, IConfiguration configuration, CancellationToken ct)
    {
        var username = configuration["Username"];
        if (string.IsNullOrEmpty(username))
            return Fail("anvild apikey: --username is required.");
        var user = await new UserStore(db).FindAsync(username, ct);
        if (user is null)
            return Fail($"anvild apikey: no user '{username}'.");

        // Secrets are stored hashed, so an existing key cannot be shown again: issue a new one.
        var token = await db.InTransactionAsync((c, tx) => UserStore.CreateTokenAsync(c, tx, user.Id, "anvild apikey", ct), ct);
        Console.WriteLine(token.ApiKey);
        return 0;
    }

    private static int Help()
    {
        Console.WriteLine("""
            usage: anvild [run] [--role region|rack|region+rack] [--data-dir DIR] [--database CONNSTRING]
                                [--listen URL] [--maas-url URL] [--postgres-bin DIR] [--config FILE]
                                [--power-poll-interval SECONDS] [--dns embedded|off]
                                [--dns-listen ADDR:PORT[,…]] [--dns-control-port PORT]
                   anvild --role rack --region URL[,URL…] --secret HEX|@FILE [--rack-interfaces IF,…]
                                [--boot-resources DIR] [--data-dir DIR] [--rack-http-listen URL]
                                [--tftp-listen ADDR:PORT] [--lease-batch-size N] [--lease-flush-ms MS]
                   anvild migrate
                   anvild createadmin --username NAME --password PASSWORD [--email EMAIL]
                   anvild apikey --username NAME
            Settings may also come from /etc/anvil/anvild.json and ANVIL_* environment variables
            (ANVIL_ROLE, ANVIL_DATADIR, ANVIL_DATABASE, ANVIL_LISTEN, ANVIL_MAASURL, ANVIL_POSTGRESBIN,
            ANVIL_REGION, ANVIL_SECRET, ANVIL_RACKINTERFACES, ANVIL_BOOTRESOURCES, ANVIL_RACKHTTPLISTEN,
            ANVIL_TFTPLISTEN, ANVIL_LEASEBATCHSIZE, ANVIL_LEASEFLUSHMS, ANVIL_POWERPOLLINTERVAL, ANVIL_DNS,
            ANVIL_DNSLISTEN, ANVIL_DNSCONTROLPORT). The region writes the
            shared secret racks need to <data-dir>/secret.
            """);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
