using System.Net;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>How signals store script results (files, exit status, progress, times).</summary>
public sealed class ResultStorageTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static readonly byte[] Binary = [0x00, 0xff, 0x0d, 0x0a, 0xc3, 0x28, 0x80, 0x7f, 0x1b];
    private readonly MetadataHarness _md = new(host);

    private async Task<(MetadataNodeUnderTest Node, long ResultId, string Name, long SetId)> CommissioningWithOneScriptAsync(string? name = null)
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        name ??= MetadataHarness.Unique("s");
        var (script, _) = await _md.AddScriptAsync(name, ScriptType.Commissioning);
        var (setId, results) = await _md.AddSetAsync(node.Id, ResultType.Commissioning, script);
        return (node, results[0], name, setId);
    }

    [Fact]
    public async Task Files_are_stored_byte_for_byte_by_suffix()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await (await MetadataHarness.SignalAsync(
            node.Client,
            "WORKING",
            [("script_result_id", resultId.ToString()), ("exit_status", "0")],
            [(name, [.. Binary, 1]), ($"{name}.out", [.. Binary, 2]), ($"{name}.ERR", [.. Binary, 3]), ($"{name}.yaml", "results: {x: 1}\n"u8.ToArray())]))
            .ShouldBeStatusAsync(HttpStatusCode.OK);

        var result = await _md.ResultAsync(resultId);
        result.Output.ShouldBe([.. Binary, 1]);
        result.Stdout.ShouldBe([.. Binary, 2]);
        result.Stderr.ShouldBe([.. Binary, 3]);
        result.Result.ShouldBe("results: {x: 1}\n"u8.ToArray());
        result.Status.ShouldBe(ScriptStatus.Passed);
        result.ExitStatus.ShouldBe(0);
        result.Ended.ShouldNotBeNull();
    }

    [Fact]
    public async Task Files_find_their_result_by_name_without_an_id()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("exit_status", "3")], [($"{name}.out", "x"u8.ToArray())]);

        var result = await _md.ResultAsync(resultId);
        result.Stdout.ShouldBe("x"u8.ToArray());
        result.Status.ShouldBe(ScriptStatus.Failed);
        result.ExitStatus.ShouldBe(3);
    }

    [Theory]
    [InlineData("script_result")]
    [InlineData("result")]
    public async Task Exit_status_may_come_under_its_old_names(string field)
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [(field, "7")], [(name, "x"u8.ToArray())]);

        (await _md.ResultAsync(resultId)).ExitStatus.ShouldBe(7);
    }

    [Fact]
    public async Task A_script_nobody_sent_gets_a_result_of_its_own()
    {
        var (node, _, _, setId) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", files: [("extra-script.out", "hello"u8.ToArray())]);

        var extra = (await _md.ResultsAsync(setId)).Single(r => r.ScriptName == "extra-script");
        extra.Stdout.ShouldBe("hello"u8.ToArray());
        extra.Status.ShouldBe(ScriptStatus.Passed);
    }

    [Fact]
    public async Task Working_starts_a_result_and_every_signal_is_a_heartbeat()
    {
        var (node, resultId, _, setId) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", resultId.ToString())]);

        var result = await _md.ResultAsync(resultId);
        result.Status.ShouldBe(ScriptStatus.Running);
        result.Started.ShouldNotBeNull();
        (await _md.ScalarAsync<DateTime?>("SELECT last_ping FROM script_set WHERE id = @setId", new { setId })).ShouldNotBeNull();
    }

    [Fact]
    public async Task Working_by_name_starts_the_result_too()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("name", name)]);

        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.Running);
    }

    [Fact]
    public async Task Installing_then_a_failure_is_failed_installing()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "INSTALLING", [("script_result_id", resultId.ToString())]);
        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.Installing);
        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", resultId.ToString()), ("exit_status", "100")], [(name, "apt failed"u8.ToArray())]);

        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.FailedInstalling);
    }

    [Fact]
    public async Task Applying_netconf_is_recorded_for_a_pending_result()
    {
        var (node, resultId, _, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "APPLYING_NETCONF", [("script_result_id", resultId.ToString())]);

        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.ApplyingNetconf);
    }

    [Fact]
    public async Task Timedout_marks_the_result_timed_out()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "TIMEDOUT", [("script_result_id", resultId.ToString())], [(name, "partial"u8.ToArray())]);

        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.TimedOut);
    }

    [Fact]
    public async Task Result_yaml_status_overrides_the_exit_status()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("exit_status", "0")], [($"{name}.yaml", "status: degraded\nresults:\n  status: failed\n"u8.ToArray())]);

        (await _md.ResultAsync(resultId)).Status.ShouldBe(ScriptStatus.Degraded);
    }

    [Fact]
    public async Task Result_yaml_with_an_unknown_status_is_kept_and_reported()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("exit_status", "0")], [($"{name}.yaml", "status: great\n"u8.ToArray())]);

        var result = await _md.ResultAsync(resultId);
        result.Status.ShouldBe(ScriptStatus.Passed);
        result.Result.ShouldBe("status: great\n"u8.ToArray());
        (await _md.EventTypesAsync(node.Id)).ShouldContain("SCRIPT_RESULT_ERROR");
    }

    [Fact]
    public async Task Runtime_sets_when_the_script_started()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("exit_status", "0"), ("runtime", "12.5")], [(name, "x"u8.ToArray())]);

        var result = await _md.ResultAsync(resultId);
        (result.Ended!.Value - result.Started!.Value).ShouldBe(TimeSpan.FromSeconds(12.5));
    }

    [Fact]
    public async Task Script_version_is_the_latest_unless_the_runner_names_one_of_the_scripts()
    {
        var (node, resultId, name, _) = await CommissioningWithOneScriptAsync();
        var latest = await _md.ScalarAsync<long>("SELECT max(v.id) FROM script_version v JOIN script s ON s.id = v.script_id WHERE s.name = @name", new { name });

        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", resultId.ToString()), ("script_version_id", "999999")], [(name, "x"u8.ToArray())]);

        (await _md.ResultAsync(resultId)).ScriptVersionId.ShouldBeNull();
        (await _md.EventsAsync(node.Id)).ShouldContain(e => e.Type == "SCRIPT_RESULT_ERROR" && e.Description.Contains("unknown script version"));
        await _md.ExecuteAsync("UPDATE script_result SET status = 0 WHERE id = @resultId", new { resultId });
        await MetadataHarness.SignalAsync(node.Client, "WORKING", [("script_result_id", resultId.ToString())], [(name, "x"u8.ToArray())]);
        (await _md.ResultAsync(resultId)).ScriptVersionId.ShouldBe(latest);
    }

    [Fact]
    public async Task Two_signals_of_one_node_at_once_lose_no_result()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var names = Enumerable.Range(0, 8).Select(i => MetadataHarness.Unique($"r{i}")).ToArray();
        var ids = new List<long>();
        foreach (var name in names)
            ids.Add((await _md.AddScriptAsync(name, ScriptType.Commissioning)).Id);
        var (setId, results) = await _md.AddSetAsync(node.Id, ResultType.Commissioning, [.. ids]);

        // Eight signals at once: each with its own result's stdout, plus one for a script the set
        // does not list, which every signal creates by name if it is missing.
        var signals = results.Select((id, i) => MetadataHarness.SignalAsync(
            _md.ClientFor(node.Key),
            "WORKING",
            [("script_result_id", id.ToString()), ("exit_status", "0")],
            [($"{names[i]}.out", System.Text.Encoding.UTF8.GetBytes(names[i]))]));
        var unlisted = Enumerable.Range(0, 4).Select(_ => MetadataHarness.SignalAsync(_md.ClientFor(node.Key), "WORKING", files: [("unlisted.out", "u"u8.ToArray())]));
        var responses = await Task.WhenAll(signals.Concat(unlisted));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var stored = await _md.ResultsAsync(setId);
        foreach (var (id, i) in results.Select((id, i) => (id, i)))
        {
            var result = stored.Single(r => r.Id == id);
            result.Status.ShouldBe(ScriptStatus.Passed);
            result.Stdout.ShouldBe(System.Text.Encoding.UTF8.GetBytes(names[i]));
        }

        stored.Count(r => r.ScriptName == "unlisted").ShouldBe(1);
    }
}
