using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Scripts;

public sealed class ScriptResultsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task List_returns_every_set_with_its_results_and_filters_by_type()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        var commissioning = await ResultsSeed.SetAsync(host, node, 0, current: true, new ResultsSeed.Result("maas-lshw", Output: "<list/>"));
        var testing = await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("smartctl-validate", Status: 3));

        var all = await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/")).ShouldBeJsonAsync();
        var onlyTesting = await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/", ("type", "testing"))).ShouldBeJsonAsync();

        all.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ShouldBe([commissioning, testing]);
        var set = all[0];
        set.GetProperty("system_id").GetString().ShouldBe(node.SystemId);
        set.GetProperty("type").GetInt32().ShouldBe(0);
        set.GetProperty("type_name").GetString().ShouldBe("Commissioning");
        set.GetProperty("status").GetInt32().ShouldBe(2);
        set.GetProperty("status_name").GetString().ShouldBe("Passed");
        set.GetProperty("runtime").GetString().ShouldBe("0:00:05");
        set.GetProperty("started").GetString().ShouldBe("Tue, 02 Jan 2024 03:04:05 -0000");
        set.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/nodes/{node.SystemId}/results/{commissioning}/");
        var result = set.GetProperty("results").EnumerateArray().Single();
        result.GetProperty("name").GetString().ShouldBe("maas-lshw");
        result.GetProperty("exit_status").GetInt32().ShouldBe(0);
        result.GetProperty("runtime").GetString().ShouldBe("0:00:05");
        result.GetProperty("starttime").GetDouble().ShouldBe(1704164645.0);
        result.GetProperty("suppressed").GetBoolean().ShouldBeFalse();
        result.TryGetProperty("output", out _).ShouldBeFalse();
        onlyTesting.EnumerateArray().Single().GetProperty("status_name").GetString().ShouldBe("Failed");
    }

    [Fact]
    public async Task Include_output_adds_the_outputs_in_base64()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 0, current: true, new ResultsSeed.Result("maas-lshw", Output: "all", Stdout: "out", Stderr: "err", ResultYaml: "status: passed"));

        var result = (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/current-commissioning/", ("include_output", "1"))).ShouldBeJsonAsync())
            .GetProperty("results")[0];

        Decode(result, "output").ShouldBe("all");
        Decode(result, "stdout").ShouldBe("out");
        Decode(result, "stderr").ShouldBe("err");
        Decode(result, "result").ShouldBe("status: passed");
    }

    [Fact]
    public async Task Filters_select_results_by_name_tag_id_and_hardware_type()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        var tag = RegionTestHost.Unique("t");
        var memoryScript = await ScriptIdAsync(admin, ("hardware_type", "memory"), ("tags", tag));
        var setId = await ResultsSeed.SetAsync(
            host, node, 2, current: true,
            new ResultsSeed.Result("zeta"), new ResultsSeed.Result("alpha"), new ResultsSeed.Result("memtest", ScriptId: memoryScript));
        var path = $"nodes/{node.SystemId}/results/{setId}/";

        Names(await (await admin.Client.GetAsync(path)).ShouldBeJsonAsync()).ShouldBe(["alpha", Name(memoryScript), "zeta"]);
        Names(await (await admin.Client.GetAsync(path, ("filters", $"zeta,{tag}"))).ShouldBeJsonAsync()).ShouldBe([Name(memoryScript), "zeta"]);
        Names(await (await admin.Client.GetAsync(path, ("hardware_type", "memory"))).ShouldBeJsonAsync()).ShouldBe([Name(memoryScript)]);
        var alphaId = (await (await admin.Client.GetAsync(path, ("filters", "alpha"))).ShouldBeJsonAsync()).GetProperty("results")[0].GetProperty("id").GetInt64();
        Names(await (await admin.Client.GetAsync(path, ("filters", alphaId.ToString()))).ShouldBeJsonAsync()).ShouldBe(["alpha"]);
    }

    [Fact]
    public async Task Read_answers_maas_errors_for_bad_ids_and_unknown_nodes()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        var other = await host.CreateNodeAsync();
        var othersSet = await ResultsSeed.SetAsync(host, other, 0, current: false, new ResultsSeed.Result("x"));

        (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/latest/")).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Unknown id \"latest\" must be current-commissioning, current-testing, current-installation, or the id number of a specific result.");
        (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/current-testing/")).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldStartWith("Unknown id \"current-testing\"");
        (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/{othersSet}/")).ShouldBeTextAsync(HttpStatusCode.NotFound))
            .ShouldBe("No ScriptSet matches the given query.");
        (await (await user.Client.GetAsync("nodes/nosuch/results/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No Node matches the given query.");
        (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/", ("type", "deploy"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Invalid result type name");
    }

    [Fact]
    public async Task Update_suppresses_the_filtered_results_and_the_status_ignores_them()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("good"), new ResultsSeed.Result("bad", Status: 3));
        var path = $"nodes/{node.SystemId}/results/current-testing/";

        await (await user.Client.PutAsync(path, ("suppressed", "true"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        var updated = await (await admin.Client.PutAsync(path, ("suppressed", "true"), ("filters", "bad"))).ShouldBeJsonAsync();
        var read = await (await user.Client.GetAsync(path)).ShouldBeJsonAsync();

        updated.GetProperty("results").EnumerateArray().Single().GetProperty("suppressed").GetBoolean().ShouldBeTrue();
        read.GetProperty("status_name").GetString().ShouldBe("Passed");
        read.GetProperty("suppressed").GetBoolean().ShouldBeFalse();
        read.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("suppressed").GetBoolean()).ShouldBe([true, false]);
    }

    [Fact]
    public async Task Delete_of_the_current_testing_set_falls_back_to_the_previous_one()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        var older = await ResultsSeed.SetAsync(host, node, 2, current: false, new ResultsSeed.Result("a"));
        var newer = await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("a"));

        await (await user.Client.DeleteAsync($"nodes/{node.SystemId}/results/{newer}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.DeleteAsync($"nodes/{node.SystemId}/results/{newer}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        (await ResultsSeed.CurrentTestingAsync(host, node)).ShouldBe(older);
        await (await admin.Client.GetAsync($"nodes/{node.SystemId}/results/{newer}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_of_the_current_commissioning_set_is_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 0, current: true, new ResultsSeed.Result("a"));

        var message = await (await admin.Client.DeleteAsync($"nodes/{node.SystemId}/results/current-commissioning/")).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        message.ShouldBe($"Unable to delete the current commissioning script set for node: {node.Hostname}.maas");
    }

    [Fact]
    public async Task Download_of_one_result_is_its_output_alone_and_of_several_is_titled_text()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("one", Output: "first\n", Stdout: "so"), new ResultsSeed.Result("two", Output: "second"));
        var path = $"nodes/{node.SystemId}/results/current-testing/";

        var single = await user.Client.GetOpAsync(path, "download", ("filters", "one"));
        var stdout = await user.Client.GetOpAsync(path, "download", ("filters", "one"), ("output", "stdout"));
        var both = await user.Client.GetOpAsync(path, "download");

        single.Content.Headers.ContentType!.MediaType.ShouldBe("application/binary");
        (await single.Content.ReadAsStringAsync()).ShouldBe("first\n");
        (await stdout.Content.ReadAsStringAsync()).ShouldBe("so");
        var dashes = new string('-', 37);
        (await both.Content.ReadAsStringAsync()).ShouldBe($"{dashes} one {dashes}\nfirst\n\n{dashes} two {dashes}\nsecond\n");
    }

    [Fact]
    public async Task Download_as_tar_xz_names_files_under_host_type_and_id()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        var setId = await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("one", Output: "o", Stdout: "s", Stderr: "e", ResultYaml: "r"));

        var response = await user.Client.GetOpAsync($"nodes/{node.SystemId}/results/{setId}/", "download", ("filetype", "tar.xz"), ("output", "all"));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-tar");
        var files = await UntarXzAsync(await response.Content.ReadAsByteArrayAsync());
        var root = $"{node.Hostname}-testing-{setId}";
        files.ShouldBe(
            new Dictionary<string, string> { [$"{root}/one"] = "o", [$"{root}/one.out"] = "s", [$"{root}/one.err"] = "e", [$"{root}/one.yaml"] = "r" });
        (await (await user.Client.GetOpAsync($"nodes/{node.SystemId}/results/{setId}/", "download", ("filetype", "zip"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Unknown filetype \"zip\" must be txt or tar.xz");
    }

    [Fact]
    public async Task Password_parameters_are_redacted()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 2, current: true,
            new ResultsSeed.Result("login", Parameters: """{"secret": {"type": "password", "value": "hunter2"}, "url": {"type": "url", "value": "http://x"}}"""));

        var parameters = (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/current-testing/")).ShouldBeJsonAsync())
            .GetProperty("results")[0].GetProperty("parameters");

        parameters.GetProperty("secret").GetProperty("value").GetString().ShouldBe("REDACTED");
        parameters.GetProperty("url").GetProperty("value").GetString().ShouldBe("http://x");
    }

    [Fact]
    public async Task Estimated_runtime_of_a_pending_result_comes_from_earlier_passed_runs()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await ResultsSeed.SetAsync(host, node, 2, current: false, new ResultsSeed.Result("slow", RuntimeSeconds: 100));
        await ResultsSeed.SetAsync(host, node, 2, current: true, new ResultsSeed.Result("slow", Status: 0), new ResultsSeed.Result("new", Status: 0));

        var results = (await (await user.Client.GetAsync($"nodes/{node.SystemId}/results/current-testing/")).ShouldBeJsonAsync()).GetProperty("results");

        results[0].GetProperty("name").GetString().ShouldBe("new");
        results[0].GetProperty("estimated_runtime").GetString().ShouldBe("Unknown");
        results[1].GetProperty("estimated_runtime").GetString().ShouldBe("0:01:40");
        results[1].GetProperty("runtime").GetString().ShouldBe("");
        results[1].GetProperty("starttime").GetString().ShouldBe("");
    }

    private readonly Dictionary<long, string> _scriptNames = [];

    private async Task<long> ScriptIdAsync(TestUser admin, params (string Key, string Value)[] fields)
    {
        var name = RegionTestHost.Unique("script");
        var script = await (await admin.Client.PostAsync("scripts/", [("name", name), ("script", "#!/bin/sh\n"), .. fields])).ShouldBeJsonAsync();
        var id = script.GetProperty("id").GetInt64();
        _scriptNames[id] = name;
        return id;
    }

    private string Name(long scriptId) => _scriptNames[scriptId];

    private static string[] Names(JsonElement set) => [.. set.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)];

    private static string Decode(JsonElement result, string property) => Encoding.UTF8.GetString(Convert.FromBase64String(result.GetProperty(property).GetString()!));

    private static async Task<Dictionary<string, string>> UntarXzAsync(byte[] xz)
    {
        using var process = Process.Start(new ProcessStartInfo("xz", "--decompress --stdout") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        var tar = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(tar);
        await process.StandardInput.BaseStream.WriteAsync(xz);
        process.StandardInput.Close();
        await reading;
        await process.WaitForExitAsync();
        tar.Position = 0;
        var files = new Dictionary<string, string>();
        using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            using var content = new StreamReader(entry.DataStream!);
            files[entry.Name] = await content.ReadToEndAsync();
        }

        return files;
    }
}
