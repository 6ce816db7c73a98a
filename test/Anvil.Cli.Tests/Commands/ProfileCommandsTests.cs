using Anvil.Cli.Support;
using Anvil.Client.Support;

namespace Anvil.Cli.Commands;

public sealed class ProfileCommandsTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private LoopbackMaasServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackMaasServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    private async Task LoginAsync(string name)
    {
        var result = await _cli.RunAsync("login", name, _server.Url.ToString(), _server.ValidKey.ToKeyString());
        result.ExitCode.ShouldBe(0, result.Error);
    }

    [Fact]
    public async Task List_prints_each_profile_with_its_url()
    {
        await LoginAsync("alpha");
        await LoginAsync("beta");

        var result = await _cli.RunAsync("list");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldBe($"alpha  {_server.ApiUrl}\nbeta   {_server.ApiUrl}\n");
    }

    [Fact]
    public async Task Logout_removes_the_profile_and_its_commands()
    {
        await LoginAsync("alpha");

        var result = await _cli.RunAsync("logout", "alpha");

        result.ExitCode.ShouldBe(0);
        (await _cli.RunAsync("list")).Out.ShouldBeEmpty();
        (await _cli.RunAsync("alpha", "machines", "read")).ExitCode.ShouldNotBe(0);
    }

    [Fact]
    public async Task Logout_of_an_unknown_profile_fails()
    {
        var result = await _cli.RunAsync("logout", "nobody");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("no profile named 'nobody'");
    }

    [Fact]
    public async Task Refresh_fetches_describe_again_for_every_profile()
    {
        await LoginAsync("alpha");
        await LoginAsync("beta");
        _server.ApiHash = "ffffffffffffffffffffffffffffffffffffffff";

        var result = await _cli.RunAsync("refresh");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("Refreshed 'alpha'");
        result.Out.ShouldContain("Refreshed 'beta'");
        File.ReadAllText(_cli.ProfilesPath).Split("ffffffffffffffffffffffffffffffffffffffff").Length.ShouldBe(3);
    }

    [Fact]
    public async Task Refresh_reports_a_profile_whose_server_fails_and_exits_1()
    {
        await LoginAsync("alpha");
        _server.Respond("GET", "describe/", null, 500, "text/plain", "boom");

        var result = await _cli.RunAsync("refresh");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("Could not refresh 'alpha'");
    }

    [Fact]
    public async Task A_corrupt_profiles_file_is_reported_instead_of_crashing()
    {
        Directory.CreateDirectory(_cli.ConfigDirectory);
        File.WriteAllText(_cli.ProfilesPath, "[");

        var result = await _cli.RunAsync("list");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain(_cli.ProfilesPath);
    }
}
