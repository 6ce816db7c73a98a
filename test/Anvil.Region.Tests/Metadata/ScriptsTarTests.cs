using System.Formats.Tar;
using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>The maas-scripts tar and its index.json (maas-api.md §7.4).</summary>
public sealed class ScriptsTarTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly string[] ItemKeys =
    [
        "name", "script_result_id", "script_version_id", "timeout_seconds", "parallel", "hardware_type", "parameters", "packages",
        "for_hardware", "apply_configured_networking", "has_started", "has_finished", "default", "tags", "path",
    ];

    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task Commissioning_tar_has_each_pending_script_and_an_index()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var name = MetadataHarness.Unique("lshw");
        var (script, version) = await _md.AddScriptAsync(
            name, ScriptType.Commissioning, tags: ["node"], data: "#!/bin/sh\nlshw -xml\n", timeoutSeconds: 300,
            parameters: """{"storage": {"type": "storage"}}""");
        var (_, results) = await _md.AddSetAsync(node.Id, ResultType.Commissioning, script);

        var response = await node.Client.GetAsync("latest/maas-scripts");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-tar");
        var entries = await ReadTarAsync(response);
        entries[$"commissioning/{name}"].Data.ShouldBe("#!/bin/sh\nlshw -xml\n"u8.ToArray());
        entries[$"commissioning/{name}"].Mode.ShouldBe((UnixFileMode)0b111_101_101);
        entries["index.json"].Mode.ShouldBe((UnixFileMode)0b110_100_100);
        var index = JsonDocument.Parse(entries["index.json"].Data).RootElement.GetProperty("1.0");
        var item = index.GetProperty("commissioning_scripts").EnumerateArray().Single();
        item.EnumerateObject().Select(p => p.Name).ShouldBe(ItemKeys, ignoreOrder: true);
        item.GetProperty("name").GetString().ShouldBe(name);
        item.GetProperty("path").GetString().ShouldBe($"commissioning/{name}");
        item.GetProperty("script_result_id").GetInt64().ShouldBe(results[0]);
        item.GetProperty("script_version_id").GetInt64().ShouldBe(version);
        item.GetProperty("timeout_seconds").GetDouble().ShouldBe(300);
        item.GetProperty("has_started").GetBoolean().ShouldBeFalse();
        item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["node"]);
    }

    [Fact]
    public async Task A_started_script_comes_with_what_it_already_reported_and_finished_ones_are_left_out()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var (running, _) = await _md.AddScriptAsync(MetadataHarness.Unique("run"), ScriptType.Commissioning);
        var (done, _) = await _md.AddScriptAsync(MetadataHarness.Unique("done"), ScriptType.Commissioning);
        var (_, results) = await _md.AddSetAsync(node.Id, ResultType.Commissioning, running, done);
        var runningName = (await _md.ResultAsync(results[0])).ScriptName;
        var doneName = (await _md.ResultAsync(results[1])).ScriptName;
        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", results[0].ToString())]);
        await _md.ExecuteAsync("UPDATE script_result SET stdout = '\\x616263'::bytea WHERE id = @id", new { id = results[0] });
        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", results[1].ToString()), ("exit_status", "0")], [("x", "y"u8.ToArray())]);

        var entries = await ReadTarAsync(await node.Client.GetAsync("latest/maas-scripts"));

        entries.ShouldContainKey($"out/{runningName}.{results[0]}.out");
        entries[$"out/{runningName}.{results[0]}.out"].Data.ShouldBe("abc"u8.ToArray());
        entries.Keys.ShouldNotContain(k => k.Contains(doneName, StringComparison.Ordinal));
        var item = JsonDocument.Parse(entries["index.json"].Data).RootElement.GetProperty("1.0").GetProperty("commissioning_scripts").EnumerateArray().Single();
        item.GetProperty("has_started").GetBoolean().ShouldBeTrue();
        item.GetProperty("has_finished").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Testing_machine_gets_its_tests_in_the_testing_section()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.TESTING, NodeStatus.READY);
        var name = MetadataHarness.Unique("smart");
        var (test, _) = await _md.AddScriptAsync(name, ScriptType.Testing);
        await _md.AddSetAsync(node.Id, ResultType.Testing, test);

        var entries = await ReadTarAsync(await node.Client.GetAsync("latest/maas-scripts"));

        entries.ShouldContainKey($"testing/{name}");
        JsonDocument.Parse(entries["index.json"].Data).RootElement.GetProperty("1.0").GetProperty("testing_scripts").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Releasing_machine_gets_release_scripts()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DISK_ERASING, NodeStatus.DEPLOYED);
        var name = MetadataHarness.Unique("wipe");
        var (script, _) = await _md.AddScriptAsync(name, ScriptType.Release);
        await _md.AddSetAsync(node.Id, ResultType.Release, script);

        var entries = await ReadTarAsync(await node.Client.GetAsync("latest/maas-scripts"));

        entries.ShouldContainKey($"release/{name}");
        JsonDocument.Parse(entries["index.json"].Data).RootElement.GetProperty("1.0").GetProperty("release_scripts").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Nothing_to_run_is_204()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.TESTING, NodeStatus.READY);

        (await node.Client.GetAsync("latest/maas-scripts")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Enlistment_tar_is_anonymous_and_has_no_result_ids()
    {
        var builtin = MetadataHarness.Unique("bmc");
        var other = MetadataHarness.Unique("custom");
        await _md.AddScriptAsync(builtin, ScriptType.Commissioning, isDefault: true);
        await _md.AddScriptAsync(other, ScriptType.Commissioning);

        var entries = await ReadTarAsync(await _md.AnonymousClient().GetAsync("latest/maas-scripts"));

        entries.ShouldContainKey($"commissioning/{builtin}");
        entries.Keys.ShouldNotContain($"commissioning/{other}");
        var item = JsonDocument.Parse(entries["index.json"].Data).RootElement.GetProperty("1.0").GetProperty("commissioning_scripts")
            .EnumerateArray().Single(i => i.GetProperty("name").GetString() == builtin);
        item.TryGetProperty("script_result_id", out _).ShouldBeFalse();
        item.GetProperty("path").GetString().ShouldBe($"commissioning/{builtin}");
    }

    [Fact]
    public async Task Legacy_commissioning_scripts_tar_lists_every_commissioning_script()
    {
        var node = await _md.CreateMachineAsync();
        var name = MetadataHarness.Unique("legacy");
        await _md.AddScriptAsync(name, ScriptType.Commissioning);

        var response = await node.Client.GetAsync("latest/maas-commissioning-scripts");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/tar");
        (await ReadTarAsync(response)).ShouldContainKey($"commissioning.d/{name}");
    }

    private static async Task<Dictionary<string, (byte[] Data, UnixFileMode Mode)>> ReadTarAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var entries = new Dictionary<string, (byte[], UnixFileMode)>(StringComparer.Ordinal);
        using var reader = new TarReader(await response.Content.ReadAsStreamAsync());
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            using var data = new MemoryStream();
            if (entry.DataStream is not null)
                await entry.DataStream.CopyToAsync(data);
            entries[entry.Name] = (data.ToArray(), entry.Mode);
        }

        return entries;
    }
}
