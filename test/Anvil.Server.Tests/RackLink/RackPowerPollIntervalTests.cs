using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>The power poller's interval is an anvild setting: a flag, or PowerPollInterval in the config file.</summary>
public sealed class RackPowerPollIntervalTests : IDisposable
{
    private readonly string config = Path.Combine(Path.GetTempPath(), $"anvild-{Guid.NewGuid():N}.json");

    [Fact]
    public void The_interval_comes_from_the_config_file_and_a_flag_overrides_it()
    {
        File.WriteAllText(config, """{ "PowerPollInterval": 20 }""");

        var fromFile = AnvildConfiguration.Bind(AnvildConfiguration.Build(["--config", config]));
        var fromFlag = AnvildConfiguration.Bind(AnvildConfiguration.Build(["--config", config, "--power-poll-interval", "15"]));

        fromFile.PowerPollInterval.ShouldBe(20);
        fromFlag.PowerPollInterval.ShouldBe(15);
        new AnvildOptions().PowerPollInterval.ShouldBe(60);
    }

    [Fact]
    public void An_interval_of_zero_is_refused_with_the_range()
    {
        File.WriteAllText(config, "{}");

        var errors = AnvildConfiguration.Bind(AnvildConfiguration.Build(["--config", config, "--power-poll-interval", "0"])).Validate();

        errors.ShouldContain(e => e.Contains("power-poll-interval 0 is out of range: use 1 to 86400 seconds"));
    }

    public void Dispose() => File.Delete(config);
}
