using Anvil.Client.Description;

namespace Anvil.Cli.Api;

public sealed class ApiRequestBuilderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("anvil-request-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MaasApiHandler Vlan() => new()
    {
        Name = "VlanHandler",
        Params = ["fabric_id", "vid"],
        Path = "/MAAS/api/2.0/fabrics/{fabric_id}/vlans/{vid}/",
    };

    [Fact]
    public void Build_fills_url_parameters_in_order_and_escapes_them()
    {
        var update = new MaasApiAction { Name = "update", Method = "PUT", Restful = true };

        var request = ApiRequestBuilder.Build(Vlan(), update, ["1", "a/b"], ["dhcp_on=True"]);

        request.Method.ShouldBe(HttpMethod.Put);
        request.Path.ShouldBe("/MAAS/api/2.0/fabrics/1/vlans/a%2Fb/");
        request.Op.ShouldBeNull();
        request.Parameters.ShouldBe([new("dhcp_on", "True")]);
    }

    [Fact]
    public void Build_sets_the_op_and_keeps_repeated_keys()
    {
        var handler = new MaasApiHandler { Name = "MachinesHandler", Path = "/MAAS/api/2.0/machines/" };
        var release = new MaasApiAction { Name = "release", Method = "POST", Op = "release" };

        var request = ApiRequestBuilder.Build(handler, release, [], ["machines=a", "machines=b"]);

        request.Op.ShouldBe("release");
        request.Parameters.ShouldBe([new("machines", "a"), new("machines", "b")]);
    }

    [Fact]
    public void Build_attaches_a_file_for_POST()
    {
        var path = Path.Combine(_directory, "user-data.yaml");
        File.WriteAllBytes(path, [1, 2, 3]);
        var handler = new MaasApiHandler { Name = "MachineHandler", Params = ["system_id"], Path = "/MAAS/api/2.0/machines/{system_id}/" };
        var deploy = new MaasApiAction { Name = "deploy", Method = "POST", Op = "deploy" };

        var request = ApiRequestBuilder.Build(handler, deploy, ["abc"], [$"user_data@={path}"]);

        var file = request.Files.ShouldHaveSingleItem();
        file.Name.ShouldBe("user_data");
        file.FileName.ShouldBe("user-data.yaml");
        file.Content.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        request.Parameters.ShouldBeEmpty();
    }

    [Fact]
    public void Build_sends_a_file_as_text_for_GET()
    {
        var path = Path.Combine(_directory, "name.txt");
        File.WriteAllText(path, "ntp_servers");
        var handler = new MaasApiHandler { Name = "MaasHandler", Path = "/MAAS/api/2.0/maas/" };
        var getConfig = new MaasApiAction { Name = "get_config", Method = "GET", Op = "get_config" };

        var request = ApiRequestBuilder.Build(handler, getConfig, [], [$"name@={path}"]);

        request.Parameters.ShouldBe([new("name", "ntp_servers")]);
        request.Files.ShouldBeEmpty();
    }

    [Fact]
    public void Build_reports_a_missing_file()
    {
        var handler = new MaasApiHandler { Name = "FilesHandler", Path = "/MAAS/api/2.0/files/" };
        var create = new MaasApiAction { Name = "create", Method = "POST" };

        Should.Throw<FileNotFoundException>(() => ApiRequestBuilder.Build(handler, create, [], [$"file@={Path.Combine(_directory, "missing")}"]));
    }
}
