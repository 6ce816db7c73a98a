using System.Text.Json;
using Anvil.Cli.Support;
using Anvil.Client.Support;

namespace Anvil.Cli.Output;

public sealed class MachinesListTests : IAsyncLifetime
{
    private const string TwoMachines = """
        [
          {"hostname": "node-a", "system_id": "abc123", "status_name": "Ready", "owner": null, "power_state": "off",
           "cpu_count": 8, "memory": 16384, "zone": {"name": "zone-east", "id": 1}, "pool": {"name": "pool-gpu", "id": 2},
           "resource_uri": "/MAAS/api/2.0/machines/abc123/"},
          {"hostname": "node-b", "system_id": "def456", "status_name": "Deployed", "owner": "alice", "power_state": "on",
           "cpu_count": 4, "memory": 3072, "zone": {"name": "default", "id": 0}, "pool": {"name": "default", "id": 0},
           "resource_uri": "/MAAS/api/2.0/machines/def456/"}
        ]
        """;

    private readonly CliHarness _cli = new();
    private LoopbackMaasServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackMaasServer.StartAsync();
        _server.MachinesJson = TwoMachines;
        var login = await _cli.RunAsync("login", "admin", _server.Url.ToString(), _server.ValidKey.ToKeyString());
        login.ExitCode.ShouldBe(0, login.Error);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    private static string[] CellsOf(string output, string rowMarker) =>
        output.Split('\n').Single(l => l.Contains(rowMarker, StringComparison.Ordinal))
            .Split(['│', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task List_prints_one_table_row_per_machine_with_the_summary_columns()
    {
        var result = await _cli.RunAsync("admin", "machines", "list");

        result.ExitCode.ShouldBe(0, result.Error);
        CellsOf(result.Out, "hostname").ShouldBe(
            ["hostname", "system_id", "status_name", "owner", "power_state", "cpu_count", "memory", "zone", "pool"]);
        CellsOf(result.Out, "node-a").ShouldBe(["node-a", "abc123", "Ready", "off", "8", "16.0 GiB", "zone-east", "pool-gpu"]);
        CellsOf(result.Out, "node-b").ShouldBe(["node-b", "def456", "Deployed", "alice", "on", "4", "3.0 GiB", "default", "default"]);
        result.Out.ShouldEndWith("\n");
        var request = _server.ApiCalls[^1];
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/MAAS/api/2.0/machines/");
    }

    [Fact]
    public async Task List_with_json_prints_the_raw_response_instead()
    {
        var result = await _cli.RunAsync("admin", "machines", "list", "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldNotContain("│");
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetArrayLength().ShouldBe(2);
        json.RootElement[1].GetProperty("owner").GetString().ShouldBe("alice");
    }

    [Fact]
    public async Task List_passes_filters_in_the_query_string()
    {
        await _cli.RunAsync("admin", "machines", "list", "hostname=node-a", "hostname=node-b");

        _server.ApiCalls[^1].QueryString.ShouldBe("?hostname=node-a&hostname=node-b");
    }

    [Fact]
    public async Task List_prints_hostnames_with_markup_characters_literally()
    {
        _server.MachinesJson = """[{"hostname": "[bold]odd[/]", "system_id": "xyz789"}]""";

        var result = await _cli.RunAsync("admin", "machines", "list");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("[bold]odd[/]");
    }

    [Fact]
    public async Task List_of_no_machines_prints_only_the_header()
    {
        _server.MachinesJson = "[]";

        var result = await _cli.RunAsync("admin", "machines", "list");

        result.ExitCode.ShouldBe(0);
        result.Out.ShouldContain("hostname");
        result.Out.ShouldNotContain("abc123");
    }

    [Fact]
    public async Task List_exits_2_with_the_error_body_when_the_server_refuses()
    {
        _server.Respond("GET", "machines/", null, 403, "text/plain", "You do not have permission.");

        var result = await _cli.RunAsync("admin", "machines", "list");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("You do not have permission.\n");
    }
}
