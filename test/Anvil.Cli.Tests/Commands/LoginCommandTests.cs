using System.Text.Json;
using Anvil.Cli.Support;
using Anvil.Client.Support;

namespace Anvil.Cli.Commands;

public sealed class LoginCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private LoopbackMaasServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackMaasServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    private string BaseUrl => _server.Url.ToString().TrimEnd('/');

    [Fact]
    public async Task Login_with_a_valid_key_checks_whoami_and_saves_the_profile_with_describe()
    {
        var result = await _cli.RunAsync("login", "admin", BaseUrl, _server.ValidKey.ToKeyString());

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("as admin");
        var whoami = _server.ApiCalls.ShouldHaveSingleItem();
        whoami.Path.ShouldBe("/MAAS/api/2.0/users/");
        whoami.QueryString.ShouldBe("?op=whoami");
        whoami.Header("Authorization")!.ShouldContain("oauth_signature=\"%26" + _server.ValidKey.TokenSecret + "\"");
        using var saved = JsonDocument.Parse(File.ReadAllText(_cli.ProfilesPath));
        var profile = saved.RootElement.GetProperty("profiles")[0];
        profile.GetProperty("name").GetString().ShouldBe("admin");
        profile.GetProperty("url").GetString().ShouldBe(_server.ApiUrl.ToString());
        profile.GetProperty("credentials").GetString().ShouldBe(_server.ValidKey.ToKeyString());
        profile.GetProperty("description").GetProperty("hash").GetString().ShouldBe(_server.ApiHash);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_writes_the_profiles_file_with_mode_0600()
    {
        await _cli.RunAsync("login", "admin", BaseUrl, _server.ValidKey.ToKeyString());

        File.GetUnixFileMode(_cli.ProfilesPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Login_with_a_rejected_key_says_so_and_saves_nothing()
    {
        var result = await _cli.RunAsync("login", "admin", BaseUrl, "ck:tk:wrongsecret");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("The server rejected your API key.");
        File.Exists(_cli.ProfilesPath).ShouldBeFalse();
    }

    [Fact]
    public async Task Login_with_dash_reads_the_key_from_stdin()
    {
        var result = await _cli.RunWithStdinAsync(_server.ValidKey.ToKeyString() + "\n", "login", "admin", BaseUrl, "-");

        result.ExitCode.ShouldBe(0, result.Error);
        (await _cli.RunAsync("list")).Out.ShouldContain("admin");
    }

    [Fact]
    public async Task Login_without_a_key_saves_an_anonymous_profile_without_calling_whoami()
    {
        var result = await _cli.RunAsync("login", "anon", BaseUrl);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("anonymously");
        _server.ApiCalls.ShouldBeEmpty();
        (await _cli.RunAsync("list")).Out.ShouldContain("(anonymous)");
    }

    [Fact]
    public async Task Login_with_a_malformed_key_explains_the_expected_form()
    {
        var result = await _cli.RunAsync("login", "admin", BaseUrl, "not-a-key");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("consumer_key:token_key:token_secret");
        _server.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("login")]
    [InlineData("refresh")]
    [InlineData("has space")]
    public async Task Login_refuses_profile_names_that_would_clash_with_commands(string name)
    {
        var result = await _cli.RunAsync("login", name, BaseUrl, _server.ValidKey.ToKeyString());

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("cannot be a profile name");
    }

    [Fact]
    public async Task Login_fails_when_describe_is_not_json()
    {
        _server.Respond("GET", "describe/", null, 200, "text/html", "<html></html>");

        var result = await _cli.RunAsync("login", "admin", BaseUrl, _server.ValidKey.ToKeyString());

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("application/json");
        File.Exists(_cli.ProfilesPath).ShouldBeFalse();
    }

    [Fact]
    public async Task Login_reports_an_unreachable_server()
    {
        // Nothing listens on port 1 (tcpmux) on a test machine, so the connection is refused.
        var result = await _cli.RunAsync("login", "admin", "http://127.0.0.1:1/MAAS", "ck:tk:ts");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("Cannot reach the server");
    }
}
