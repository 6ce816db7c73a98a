
namespace Anvil.Server;

/// <summary>Reads anvild's configuration from its file, the environment and the flags, in that order of precedence.</summary>
internal static class AnvildConfiguration
{
    public const string DefaultConfigFile = "/etc/anvil/anvild.json";

    private static readonly Dictionary<string, string> FlagMappings = new(StringComparer.Ordinal)
    {
        ["--role"] = "Role",
        ["--data-dir"] = "DataDir",
        ["--database"] = "Database",
        ["--listen"] = "Listen",
        ["--maas-url"] = "MaasUrl",
        ["--postgres-bin"] = "PostgresBin",
        ["--config"] = "Config",
        ["--region"] = "Region",
        ["--secret"] = "Secret",
        ["--rack-interfaces"] = "RackInterfaces",
        ["--boot-resources"] = "BootResources",
        ["--rack-http-listen"] = "RackHttpListen",
        ["--tftp-listen"] = "TftpListen",
        ["--lease-batch-size"] = "LeaseBatchSize",
        ["--lease-flush-ms"] = "LeaseFlushMs",
        ["--power-poll-interval"] = "PowerPollInterval",
        ["--dns"] = "Dns",
        ["--dns-listen"] = "DnsListen",
        ["--dns-control-port"] = "DnsControlPort",
        ["--username"] = "Username",
        ["--password"] = "Password",
        ["--email"] = "Email",
    };

    public static IConfiguration Build(string[] args)
    {
        var flags = new ConfigurationBuilder().AddCommandLine(args, FlagMappings).Build();
        var file = flags["Config"] ?? Environment.GetEnvironmentVariable("ANVIL_CONFIG") ?? DefaultConfigFile;
        return new ConfigurationBuilder()
            .AddJsonFile(file, optional: flags["Config"] is null, reloadOnChange: false)
            .AddEnvironmentVariables("ANVIL_")
            .AddCommandLine(args, FlagMappings)
            .Build();
    }

    public static AnvildOptions Bind(IConfiguration configuration)
    {
        var options = new AnvildOptions();
        return options with
        {
            Role = configuration["Role"] ?? options.Role,
            DataDir = configuration["DataDir"] ?? options.DataDir,
            Database = configuration["Database"] ?? options.Database,
            Listen = configuration["Listen"] ?? options.Listen,
            MaasUrl = configuration["MaasUrl"] ?? options.MaasUrl,
            PostgresBin = configuration["PostgresBin"] ?? options.PostgresBin,
            Region = configuration["Region"] ?? options.Region,
            Secret = configuration["Secret"] ?? options.Secret,
            RackInterfaces = configuration["RackInterfaces"] ?? options.RackInterfaces,
            BootResources = configuration["BootResources"] ?? options.BootResources,
            RackHttpListen = configuration["RackHttpListen"] ?? options.RackHttpListen,
            TftpListen = configuration["TftpListen"] ?? options.TftpListen,
            LeaseBatchSize = Number(configuration, "LeaseBatchSize") ?? options.LeaseBatchSize,
            LeaseFlushMs = Number(configuration, "LeaseFlushMs") ?? options.LeaseFlushMs,
            PowerPollInterval = Number(configuration, "PowerPollInterval") ?? options.PowerPollInterval,
            Dns = configuration["Dns"] ?? options.Dns,
            DnsListen = configuration["DnsListen"] ?? options.DnsListen,
            DnsControlPort = Number(configuration, "DnsControlPort") ?? options.DnsControlPort,
        };
    }

    /// <summary>A whole number setting; text that is not one is reported like any other bad setting.</summary>
    private static int? Number(IConfiguration configuration, string key) =>
        configuration[key] is not { } text ? null
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"{key} '{text}' is not a whole number.");
}
