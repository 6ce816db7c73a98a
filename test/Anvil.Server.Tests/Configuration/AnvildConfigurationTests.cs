using Xunit;

namespace Anvil.Server.Configuration;

/// <summary>Runs alone: one test sets ANVIL_* variables, which a concurrently started anvild would inherit.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class AnvildConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anvild-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Defaults_are_region_and_rack_with_a_managed_database_in_var_lib_anvil()
    {
        var options = AnvildConfiguration.Bind(AnvildConfiguration.Build(["--config", WriteConfig("{}")]));
        options.Role.ShouldBe("region+rack");
        options.DataDir.ShouldBe("/var/lib/anvil");
        options.Database.ShouldBe("");
        options.Listen.ShouldBe("http://0.0.0.0:5240");
        options.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Flags_override_the_environment_which_overrides_the_file()
    {
        var file = WriteConfig("""{"Role": "rack", "DataDir": "/srv/file", "Listen": "http://127.0.0.1:1"}""");
        Environment.SetEnvironmentVariable("ANVIL_DATADIR", "/srv/env");
        Environment.SetEnvironmentVariable("ANVIL_LISTEN", "http://127.0.0.1:2");
        try
        {
            var options = AnvildConfiguration.Bind(AnvildConfiguration.Build(["--config", file, "--listen", "http://127.0.0.1:3"]));
            options.Role.ShouldBe("rack");
            options.DataDir.ShouldBe("/srv/env");
            options.Listen.ShouldBe("http://127.0.0.1:3");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ANVIL_DATADIR", null);
            Environment.SetEnvironmentVariable("ANVIL_LISTEN", null);
        }
    }

    [Fact]
    public void Every_bad_value_is_reported_with_how_to_fix_it()
    {
        var options = new AnvildOptions
        {
            Role = "both",
            DataDir = "relative/dir",
            Listen = "ftp://x",
            MaasUrl = "not a url",
            Database = "Host=db;Bogus Keyword=1",
            PostgresBin = "/nonexistent",
        };
        var errors = options.Validate();
        errors.Count.ShouldBe(6);
        errors.ShouldContain(e => e.Contains("--role region"));
        errors.ShouldContain(e => e.Contains("--data-dir /var/lib/anvil"));
        errors.ShouldContain(e => e.Contains("--listen http://0.0.0.0:5240"));
        errors.ShouldContain(e => e.Contains("--maas-url"));
        errors.ShouldContain(e => e.Contains("--database"));
        errors.ShouldContain(e => e.Contains("/usr/lib/postgresql/15/bin"));
    }

    [Fact]
    public async Task Anvild_refuses_to_start_on_a_bad_setting_and_says_why()
    {
        using var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            (await Program.Main(["run", "--config", WriteConfig("{}"), "--role", "everything"])).ShouldBe(2);
        }
        finally
        {
            Console.SetError(original);
        }

        error.ToString().ShouldContain("role 'everything' is not valid");
    }

    [Fact]
    public void The_rack_role_needs_a_region_and_a_secret_and_sane_lease_batching()
    {
        var errors = AnvildConfiguration.Bind(AnvildConfiguration.Build(
            ["--config", WriteConfig("{}"), "--role", "rack", "--region", "ftp://region", "--lease-batch-size", "0", "--tftp-listen", "nowhere"])).Validate();

        errors.ShouldContain(e => e.Contains("region 'ftp://region' is not an http(s) URL"));
        errors.ShouldContain(e => e.Contains("--secret"));
        errors.ShouldContain(e => e.Contains("lease-batch-size 0 is out of range"));
        errors.ShouldContain(e => e.Contains("--tftp-listen 0.0.0.0:69"));
    }

    [Fact]
    public void Rack_settings_come_from_flags()
    {
        var options = AnvildConfiguration.Bind(AnvildConfiguration.Build(
            ["--config", WriteConfig("{}"), "--role", "rack", "--region", "http://a:5240/MAAS, http://b:5240/MAAS", "--secret", "@/etc/anvil/secret",
             "--rack-interfaces", "eth0,eth1", "--lease-batch-size", "16", "--lease-flush-ms", "100"]));

        options.Validate().ShouldBeEmpty();
        options.RegionUrls.ShouldBe(["http://a:5240/MAAS", "http://b:5240/MAAS"]);
        options.RackInterfaceNames.ShouldBe(["eth0", "eth1"]);
        options.LeaseBatchSize.ShouldBe(16);
        options.LeaseFlushMs.ShouldBe(100);
        options.BootResourcesDir.ShouldBe("/var/lib/anvil/boot-resources");
    }

    [Fact]
    public async Task A_number_setting_that_is_not_a_number_is_refused_at_start()
    {
        using var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            (await Program.Main(["run", "--config", WriteConfig("{}"), "--lease-batch-size", "lots"])).ShouldBe(2);
        }
        finally
        {
            Console.SetError(original);
        }

        error.ToString().ShouldContain("LeaseBatchSize 'lots' is not a whole number");
    }

    [Fact]
    public void The_public_url_prefers_maas_url_then_the_listen_address()
    {
        new AnvildOptions { Listen = "http://127.0.0.1:5240" }.PublicUrl().ShouldBe("http://127.0.0.1:5240/MAAS");
        new AnvildOptions { MaasUrl = "http://maas.example:5240/MAAS/" }.PublicUrl().ShouldBe("http://maas.example:5240/MAAS");
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
