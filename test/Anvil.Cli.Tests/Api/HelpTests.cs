using Anvil.Cli.Support;
using Anvil.Client.Support;

namespace Anvil.Cli.Api;

public sealed class HelpTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private LoopbackMaasServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackMaasServer.StartAsync();
        var login = await _cli.RunAsync("login", "admin", _server.Url.ToString(), _server.ValidKey.ToKeyString());
        login.ExitCode.ShouldBe(0, login.Error);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Root_help_lists_the_built_in_commands_and_each_profile()
    {
        var result = await _cli.RunAsync("--help");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldContain("anvil [command] [options]");
        result.Out.ShouldContain("login <profile> <url>");
        result.Out.ShouldContain("logout <profile>");
        result.Out.ShouldContain("refresh");
        result.Out.ShouldMatch(@"admin\s+Call the API at " + System.Text.RegularExpressions.Regex.Escape(_server.ApiUrl.ToString()));
    }

    [Fact]
    public async Task Profile_help_lists_handler_commands_with_their_doc_titles()
    {
        var result = await _cli.RunAsync("admin", "--help");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldMatch(@"\n\s+machines\s+Manage the collection of all the machines in the MAAS\.");
        result.Out.ShouldMatch(@"\n\s+machine\s+Manage an individual machine\.");
        result.Out.ShouldMatch(@"\n\s+dnsresource-records\s+Manage DNS resource records");
        result.Out.ShouldMatch(@"\n\s+vlan\s+Manage a VLAN on a fabric\.");
        result.Out.ShouldMatch(@"\n\s+version\s+Information about this MAAS instance\.");
    }

    [Fact]
    public async Task Handler_help_lists_actions_with_their_titles()
    {
        var result = await _cli.RunAsync("admin", "machine", "--help");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldMatch(@"\n\s+deploy <system_id> <key=value>\s+Deploy a machine\.");
        result.Out.ShouldMatch(@"\n\s+set-storage-layout <system_id> <key=value>\s+Change storage layout\.");
        result.Out.ShouldMatch(@"\n\s+power-parameters <system_id>\s+Get power parameters\.");
    }

    [Fact]
    public async Task Machines_help_offers_the_list_table_command()
    {
        var result = await _cli.RunAsync("admin", "machines", "--help");

        result.Out.ShouldMatch(@"\n\s+list <key=value>\s+List machines as a table");
        result.Out.ShouldMatch(@"\n\s+allocate <key=value>\s+Allocate a machine\.");
    }

    [Fact]
    public async Task Action_help_shows_the_positional_url_params()
    {
        var result = await _cli.RunAsync("admin", "vlan", "update", "--help");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldContain("<fabric_id>");
        result.Out.ShouldContain("<vid>");
        result.Out.ShouldContain("Update VLAN.");
        _server.ApiCalls.Count.ShouldBe(1);
    }
}
