using System.Net;
using System.Text;
using Anvil.Client.Support;

namespace Anvil.Client;

public sealed class MaasClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private LoopbackMaasServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackMaasServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MaasClient Client(MaasBodyEncoding encoding = MaasBodyEncoding.Multipart, bool signed = true) =>
        new(_server.Url, signed ? _server.ValidKey : null, new MaasClientOptions { BodyEncoding = encoding });

    private static KeyValuePair<string, string> P(string key, string value) => new(key, value);

    [Fact]
    public void ApiUrl_is_the_normalised_api_base()
    {
        using var client = new MaasClient(new Uri("http://maas.example:5240/MAAS"));

        client.ApiUrl.ShouldBe(new Uri("http://maas.example:5240/MAAS/api/2.0/"));
    }

    [Fact]
    public async Task GetAsync_puts_op_and_repeated_parameters_in_the_query_string()
    {
        using var client = Client();

        await client.GetAsync("machines/", "list_allocated", [P("id", "abc"), P("id", "def"), P("zone", "a b")]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/MAAS/api/2.0/machines/");
        request.QueryString.ShouldBe("?op=list_allocated&id=abc&id=def&zone=a%20b");
        request.QueryValues("id").ShouldBe(["abc", "def"]);
        request.Body.ShouldBeEmpty();
    }

    [Fact]
    public async Task Requests_send_accept_json_and_a_PLAINTEXT_authorization_header()
    {
        using var client = Client();

        var user = await client.WhoAmIAsync().WaitAsync(Timeout);

        user.Username.ShouldBe("admin");
        user.IsSuperuser.ShouldBeTrue();
        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Header("Accept").ShouldBe("application/json");
        var authorization = request.Header("Authorization")!;
        authorization.ShouldStartWith("OAuth ");
        authorization.ShouldContain($"oauth_signature=\"%26{_server.ValidKey.TokenSecret}\"");
        authorization.ShouldContain("oauth_signature_method=\"PLAINTEXT\"");
    }

    [Fact]
    public async Task Anonymous_clients_send_no_authorization_header()
    {
        using var client = Client(signed: false);

        await client.GetAsync("version/").WaitAsync(Timeout);

        _server.ApiCalls.ShouldHaveSingleItem().Header("Authorization").ShouldBeNull();
    }

    [Fact]
    public async Task PostAsync_puts_op_in_the_query_and_parameters_in_plain_multipart_parts()
    {
        using var client = Client();

        await client.PostAsync("machines/abc123/", "deploy", [P("distro_series", "jammy"), P("tags", "a"), P("tags", "b")]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/MAAS/api/2.0/machines/abc123/");
        request.QueryString.ShouldBe("?op=deploy");
        request.ContentType.ShouldStartWith("multipart/form-data");
        request.Parts.Select(p => (p.Name, p.Text)).ShouldBe([("distro_series", "jammy"), ("tags", "a"), ("tags", "b")]);
        request.Parts.ShouldAllBe(p => p.Header("Content-Transfer-Encoding") == null);
    }

    [Fact]
    public async Task MultipartBase64_encoding_sends_base64_parts_like_the_python_clients()
    {
        using var client = Client(MaasBodyEncoding.MultipartBase64);

        await client.PostAsync("maas/", "set_config", [P("name", "ntp_servers"), P("value", "ntp.example ü")]).WaitAsync(Timeout);

        var parts = _server.ApiCalls.ShouldHaveSingleItem().Parts;
        parts.ShouldAllBe(p => p.Header("Content-Transfer-Encoding") == "base64");
        parts.Select(p => Encoding.UTF8.GetString(Convert.FromBase64String(p.Text))).ShouldBe(["ntp_servers", "ntp.example ü"]);
    }

    [Fact]
    public async Task UrlEncoded_encoding_sends_a_form_body_with_repeated_keys()
    {
        using var client = Client(MaasBodyEncoding.UrlEncoded);

        await client.PostAsync("machines/", "release", [P("machines", "a1"), P("machines", "b2")]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.ContentType.ShouldBe("application/x-www-form-urlencoded");
        request.QueryString.ShouldBe("?op=release");
        request.UrlEncodedForm.ShouldBe([P("machines", "a1"), P("machines", "b2")]);
    }

    [Fact]
    public async Task Files_go_as_multipart_parts_with_a_file_name_even_when_urlencoded_is_chosen()
    {
        using var client = Client(MaasBodyEncoding.UrlEncoded);
        var bytes = new byte[] { 0, 1, 2, 255 };

        await client.PostAsync("files/", null, [P("filename", "blob")], [new MaasFile("file", "blob.bin", bytes)]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.QueryString.ShouldBe("");
        var file = request.PartsNamed("file").ShouldHaveSingleItem();
        file.FileName.ShouldBe("blob.bin");
        file.Content.ShouldBe(bytes);
        request.PartsNamed("filename").ShouldHaveSingleItem().Text.ShouldBe("blob");
    }

    [Fact]
    public async Task PutAsync_sends_no_op_and_the_parameters_in_the_body()
    {
        using var client = Client();

        await client.PutAsync("/MAAS/api/2.0/fabrics/1/vlans/0/", parameters: [P("dhcp_on", "True")]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Method.ShouldBe("PUT");
        request.Path.ShouldBe("/MAAS/api/2.0/fabrics/1/vlans/0/");
        request.QueryString.ShouldBe("");
        request.Parts.ShouldHaveSingleItem().Text.ShouldBe("True");
    }

    [Fact]
    public async Task DeleteAsync_sends_parameters_in_the_query_string_and_no_body()
    {
        using var client = Client();

        await client.DeleteAsync("machines/abc/", parameters: [P("force", "true")]).WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Method.ShouldBe("DELETE");
        request.QueryString.ShouldBe("?force=true");
        request.Body.ShouldBeEmpty();
    }

    [Fact]
    public async Task PostAsync_without_parameters_sends_an_empty_body()
    {
        using var client = Client();

        await client.PostAsync("machines/", "accept_all").WaitAsync(Timeout);

        var request = _server.ApiCalls.ShouldHaveSingleItem();
        request.Body.ShouldBeEmpty();
        request.ContentType.ShouldBeNull();
    }

    [Fact]
    public async Task Non_2xx_responses_throw_MaasApiException_with_status_and_body()
    {
        _server.Respond("POST", "machines/", "allocate", 409, "text/plain; charset=utf-8", "No available machine matches constraints: [('tags', ['gpu'])]");
        using var client = Client();

        var error = await Should.ThrowAsync<MaasApiException>(() => client.PostAsync("machines/", "allocate", [P("tags", "gpu")]).WaitAsync(Timeout));

        error.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        error.Body.ShouldBe("No available machine matches constraints: [('tags', ['gpu'])]");
        error.Message.ShouldContain("409");
        error.Response.MediaType.ShouldBe("text/plain");
    }

    [Fact]
    public async Task SendAsync_returns_error_responses_without_throwing()
    {
        _server.Respond("GET", "machines/zzz/", null, 404, "text/plain", "No Machine matches the given query.");
        using var client = Client();

        var response = await client.SendAsync(new MaasRequest(HttpMethod.Get, "machines/zzz/")).WaitAsync(Timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.IsSuccessStatusCode.ShouldBeFalse();
        response.BodyText.ShouldBe("No Machine matches the given query.");
    }

    [Fact]
    public async Task Response_exposes_headers_content_type_and_json()
    {
        _server.MachinesJson = """[{"system_id": "abc123", "hostname": "node1"}]""";
        using var client = Client();

        var response = await client.GetAsync("machines/").WaitAsync(Timeout);

        response.IsJson.ShouldBeTrue();
        response.ContentType.ShouldBe("application/json; charset=utf-8");
        response.GetHeader("x-maas-api-hash").ShouldBe(_server.ApiHash);
        using var json = response.ParseJson();
        json.RootElement[0].GetProperty("hostname").GetString().ShouldBe("node1");
    }

    [Fact]
    public async Task WhoAmIAsync_with_a_rejected_key_throws_401()
    {
        using var client = new MaasClient(_server.Url, new MaasApiKey("ck", "tk", "wrong"));

        var error = await Should.ThrowAsync<MaasApiException>(() => client.WhoAmIAsync().WaitAsync(Timeout));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DescribeAsync_parses_resources_handlers_and_actions_unsigned()
    {
        using var client = Client();

        var description = await client.DescribeAsync().WaitAsync(Timeout);

        description.Doc.ShouldBe("MAAS API");
        description.Hash.ShouldBe(_server.ApiHash);
        description.Json.ShouldBe(_server.DescribeJson);
        var machines = description.Resources.Single(r => r.Name == "MachinesHandler");
        machines.Anon!.Name.ShouldBe("AnonMachinesHandler");
        machines.Auth!.Path.ShouldBe("/MAAS/api/2.0/machines/");
        var machine = description.Resources.Single(r => r.Name == "MachineHandler").Auth!;
        machine.Params.ShouldBe(["system_id"]);
        var deploy = machine.Actions.Single(a => a.Name == "deploy");
        deploy.Method.ShouldBe("POST");
        deploy.Op.ShouldBe("deploy");
        deploy.Restful.ShouldBeFalse();
        machine.Actions.Single(a => a.Name == "read").Op.ShouldBeNull();
        description.Resources.Single(r => r.Name == "VersionHandler").Auth.ShouldBeNull();
        description.Handlers.Count.ShouldBe(9);
        _server.Requests.ShouldHaveSingleItem().Header("Authorization").ShouldBeNull();
    }

    [Fact]
    public async Task DescribeAsync_rejects_a_response_that_is_not_json()
    {
        _server.Respond("GET", "describe/", null, 200, "text/html", "<html>login</html>");
        using var client = Client();

        var error = await Should.ThrowAsync<InvalidDataException>(() => client.DescribeAsync().WaitAsync(Timeout));

        error.Message.ShouldContain("text/html");
    }

    [Fact]
    public async Task Files_with_GET_are_refused_before_sending()
    {
        using var client = Client();
        var request = new MaasRequest(HttpMethod.Get, "files/");
        request.Files.Add(new MaasFile("file", "f", new byte[] { 1 }));

        await Should.ThrowAsync<ArgumentException>(() => client.SendAsync(request));

        _server.Requests.ShouldBeEmpty();
    }
}
