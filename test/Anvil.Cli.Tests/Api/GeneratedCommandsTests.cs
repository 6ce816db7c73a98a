using System.Text;
using System.Text.Json;
using Anvil.Cli.Support;
using Anvil.Client.Support;

namespace Anvil.Cli.Api;

public sealed class GeneratedCommandsTests : IAsyncLifetime
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

    /// <summary>The calls made by the command under test (login's whoami excluded).</summary>
    private RecordedRequest LastCall() => _server.ApiCalls[^1];

    [Fact]
    public async Task Machines_read_sends_a_signed_GET_to_the_handler_path()
    {
        var result = await _cli.RunAsync("admin", "machines", "read");

        result.ExitCode.ShouldBe(0, result.Error);
        var request = LastCall();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/MAAS/api/2.0/machines/");
        request.QueryString.ShouldBe("");
        request.Header("Authorization")!.ShouldStartWith("OAuth ");
        request.Header("Accept").ShouldBe("application/json");
    }

    [Fact]
    public async Task Machine_deploy_posts_op_in_the_query_and_data_as_multipart()
    {
        var result = await _cli.RunAsync("admin", "machine", "deploy", "abc123", "distro_series=jammy");

        result.ExitCode.ShouldBe(0, result.Error);
        var request = LastCall();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/MAAS/api/2.0/machines/abc123/");
        request.QueryString.ShouldBe("?op=deploy");
        request.ContentType.ShouldStartWith("multipart/form-data");
        request.Parts.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.Name.ShouldBe("distro_series"),
            p => p.Text.ShouldBe("jammy"));
    }

    [Fact]
    public async Task Maas_get_config_sends_op_and_data_in_the_query_string()
    {
        await _cli.RunAsync("admin", "maas", "get-config", "name=ntp_servers");

        var request = LastCall();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/MAAS/api/2.0/maas/");
        request.QueryString.ShouldBe("?op=get_config&name=ntp_servers");
        request.Body.ShouldBeEmpty();
    }

    [Fact]
    public async Task Vlan_update_takes_two_positional_url_params_and_sends_PUT()
    {
        var result = await _cli.RunAsync("admin", "vlan", "update", "5", "0", "dhcp_on=True", "primary_rack=4y3h7n");

        result.ExitCode.ShouldBe(0, result.Error);
        var request = LastCall();
        request.Method.ShouldBe("PUT");
        request.Path.ShouldBe("/MAAS/api/2.0/fabrics/5/vlans/0/");
        request.QueryString.ShouldBe("");
        request.Parts.Select(p => (p.Name, p.Text)).ShouldBe([("dhcp_on", "True"), ("primary_rack", "4y3h7n")]);
    }

    [Fact]
    public async Task Repeated_keys_are_sent_repeatedly()
    {
        await _cli.RunAsync("admin", "machines", "release", "machines=aaa", "machines=bbb");

        var request = LastCall();
        request.QueryString.ShouldBe("?op=release");
        request.PartsNamed("machines").Select(p => p.Text).ShouldBe(["aaa", "bbb"]);
    }

    [Fact]
    public async Task Machine_delete_sends_its_data_in_the_query_string()
    {
        _server.Respond("DELETE", "machines/abc123/", null, 204, "text/plain", "");

        var result = await _cli.RunAsync("admin", "machine", "delete", "abc123", "force=true");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBeEmpty();
        var request = LastCall();
        request.Method.ShouldBe("DELETE");
        request.QueryString.ShouldBe("?force=true");
    }

    [Fact]
    public async Task Key_at_equals_uploads_the_file_as_a_multipart_part()
    {
        var path = _cli.WriteFile("payload.bin", [0, 159, 146, 150]);

        var result = await _cli.RunAsync("admin", "files", "create", "filename=payload", $"file@={path}");

        result.ExitCode.ShouldBe(0, result.Error);
        var file = LastCall().PartsNamed("file").ShouldHaveSingleItem();
        file.FileName.ShouldBe("payload.bin");
        file.Content.ShouldBe(new byte[] { 0, 159, 146, 150 });
    }

    [Fact]
    public async Task Actions_without_param_docs_refuse_key_value_arguments()
    {
        var calls = _server.ApiCalls.Count;

        var result = await _cli.RunAsync("admin", "machine", "power-parameters", "abc123", "extra=1");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("extra=1");
        _server.ApiCalls.Count.ShouldBe(calls);
    }

    [Fact]
    public async Task Malformed_data_arguments_fail_before_any_request()
    {
        var calls = _server.ApiCalls.Count;

        var result = await _cli.RunAsync("admin", "machine", "deploy", "abc123", "jammy");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("'jammy' is not a key=value pair");
        _server.ApiCalls.Count.ShouldBe(calls);
    }

    [Fact]
    public async Task Acronym_handlers_get_the_maas_cli_names()
    {
        var result = await _cli.RunAsync("admin", "dnsresource-records", "read", "domain=maas");

        result.ExitCode.ShouldBe(0, result.Error);
        LastCall().Path.ShouldBe("/MAAS/api/2.0/dnsresourcerecords/");
    }

    [Fact]
    public async Task Json_responses_are_pretty_printed_on_stdout()
    {
        _server.Respond("GET", "maas/", "get_config", 200, "application/json", "\"ntp.ubuntu.com\"");
        _server.Respond("GET", "machines/abc123/", null, 200, "application/json", """{"system_id":"abc123","hostname":"nödé","tag_names":["a"]}""");

        var scalar = await _cli.RunAsync("admin", "maas", "get-config", "name=ntp_servers");
        var machine = await _cli.RunAsync("admin", "machine", "read", "abc123");

        scalar.Out.ShouldBe("\"ntp.ubuntu.com\"\n");
        machine.ExitCode.ShouldBe(0);
        machine.Out.ShouldBe("{\n  \"system_id\": \"abc123\",\n  \"hostname\": \"nödé\",\n  \"tag_names\": [\n    \"a\"\n  ]\n}\n");
    }

    [Fact]
    public async Task Text_responses_are_printed_as_they_are()
    {
        _server.Respond("GET", "machines/abc123/", "power_parameters", 200, "text/plain", "line one\nline two");

        var result = await _cli.RunAsync("admin", "machine", "power-parameters", "abc123");

        result.Out.ShouldBe("line one\nline two\n");
    }

    [Fact]
    public async Task Non_2xx_prints_the_body_on_stderr_and_exits_2()
    {
        _server.Respond("POST", "machines/", "allocate", 409, "text/plain", "No available machine matches constraints: tags=gpu");

        var result = await _cli.RunAsync("admin", "machines", "allocate", "tags=gpu");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldBeEmpty();
        result.Error.ShouldBe("No available machine matches constraints: tags=gpu\n");
    }

    [Fact]
    public async Task Unknown_actions_are_usage_errors()
    {
        var result = await _cli.RunAsync("admin", "machines", "explode");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("explode");
    }

    [Fact]
    public async Task A_changed_api_hash_prints_a_refresh_warning()
    {
        _server.ApiHash = "1111111111111111111111111111111111111111";

        var result = await _cli.RunAsync("admin", "machines", "read");

        result.ExitCode.ShouldBe(0);
        result.Error.ShouldContain("anvil refresh");
    }

    [Fact]
    public async Task Debug_prints_the_request_url_and_response_headers_to_stderr()
    {
        var result = await _cli.RunAsync("admin", "machines", "read", "--debug");

        result.Error.ShouldContain($"GET {_server.ApiUrl}machines/");
        result.Error.ShouldContain("X-MAAS-API-Hash: " + _server.ApiHash);
    }

    [Fact]
    public async Task Anonymous_profiles_only_get_anonymous_handlers_and_send_no_signature()
    {
        (await _cli.RunAsync("login", "anon", _server.Url.ToString())).ExitCode.ShouldBe(0);

        var version = await _cli.RunAsync("anon", "version", "read");
        var allocate = await _cli.RunAsync("anon", "machines", "allocate");

        version.ExitCode.ShouldBe(0, version.Error);
        LastCall().Path.ShouldBe("/MAAS/api/2.0/version/");
        LastCall().Header("Authorization").ShouldBeNull();
        allocate.ExitCode.ShouldBe(1);
        (await _cli.RunAsync("anon", "machine", "read", "abc")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task The_single_console_entry_point_runs_the_same_commands()
    {
        using var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
            Ansi = Spectre.Console.AnsiSupport.No,
        });

        var exitCode = await CliApp.RunAsync(["admin", "maas", "get-config", "name=x"], console, TextReader.Null, _cli.ConfigDirectory);

        exitCode.ShouldBe(0);
        using var echo = JsonDocument.Parse(writer.ToString());
        echo.RootElement.GetProperty("echo").GetString().ShouldBe("GET /MAAS/api/2.0/maas/");
        Encoding.UTF8.GetString(LastCall().Body).ShouldBeEmpty();
    }
}
