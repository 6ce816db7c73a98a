namespace Anvil.Cli;

public class CliEnvironmentTests
{
    [Theory]
    [InlineData("/xdg/config", "/home/u", "/xdg/config/anvil")]
    [InlineData(null, "/home/u", "/home/u/.config/anvil")]
    [InlineData("", "/home/u", "/home/u/.config/anvil")]
    [InlineData("relative/dir", "/home/u", "/home/u/.config/anvil")]
    public void Config_directory_follows_XDG_CONFIG_HOME_with_the_home_fallback(string? xdg, string home, string expected)
    {
        CliEnvironment.ConfigDirectoryFor(xdg, home).ShouldBe(expected);
    }
}
