using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Region;
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
        try
        {
            configuration = AnvildConfiguration.Build(rest);
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or InvalidDataException)
        {
            return Fail($"anvild: cannot read the configuration: {e.Message}");
        }

        var options = AnvildConfiguration.Bind(configuration);
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
            return Fail("anvild: the rack role has no services yet (DHCP, TFTP and HTTP boot arrive with the rack controller); run --role region or region+rack.");

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
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
            builder.Services.AddAnvilData(connectionString);
            builder.Services.AddRegion();
            var app = builder.Build();
            app.MapRegion();

            var key = await AdminBootstrap.EnsureAsync(app.Services.GetRequiredService<Database>(), options, ct);
            await app.StartAsync(ct);
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

    private static async Task<int> WithDatabaseAsync(AnvildOptions options, Func<Database, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
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
                   anvild migrate
                   anvild createadmin --username NAME --password PASSWORD [--email EMAIL]
                   anvild apikey --username NAME
            Settings may also come from /etc/anvil/anvild.json and ANVIL_* environment variables
            (ANVIL_ROLE, ANVIL_DATADIR, ANVIL_DATABASE, ANVIL_LISTEN, ANVIL_MAASURL, ANVIL_POSTGRESBIN).
            """);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
