using System.Globalization;
using System.Text.Json;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// The ephemeral environment's script runner (ephemeral/runner.sh, busybox sh) on this host
/// against a stand-in metadata server that speaks MAAS's documented contract: enlistment, OAuth
/// signing, the scripts tar, per-script signals with outputs, timeouts, parallel instances,
/// heartbeats and the final verdict. The scripts are the tests' own and harmless.
/// </summary>
public sealed class EphemeralRunnerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_unknown_machine_enlists_then_commissions_and_tests_signing_with_its_new_token()
    {
        await using var server = FakeMetadataServer.Start();
        var commissioning = FakeMetadataServer.ScriptsTar(
            Index("commissioning_scripts", Item("10-cpu", 11, "commissioning/10-cpu")),
            ("commissioning/10-cpu", "#!/bin/sh\necho cpus 4\necho warning >&2\necho 'status: passed' > \"$RESULT_PATH\"\n"));
        server.QueueScripts(commissioning);
        server.QueueScripts(commissioning);
        server.QueueScripts(FakeMetadataServer.ScriptsTar(Index("testing_scripts", Item("20-smart", 21, "testing/20-smart")), ("testing/20-smart", "#!/bin/sh\necho healthy\n")));
        var mac = QemuVm.RandomMac();

        var result = await RunnerOnHost.RunAsync(server.EnlistPreseedUrl, mac, Timeout);
        var diagnostics = Diagnostics(result, server);

        result.ExitCode.ShouldBe(0, diagnostics);
        server.Requests.ShouldContain($"GET /MAAS/api/2.0/machines/?op=is_registered&mac_address={mac}", diagnostics);
        var enlistment = server.Enlistments.ShouldHaveSingleItem(diagnostics);
        enlistment["architecture"].ShouldBe("amd64/generic", diagnostics);
        enlistment["mac_addresses"].ShouldBe(mac, diagnostics);
        enlistment["commission"].ShouldBe("true", diagnostics);
        server.Signals.Select(s => s.Status).ShouldBe(["COMMISSIONING", "WORKING", "WORKING", "TESTING", "WORKING", "WORKING", "OK"], diagnostics);
        server.Signals.ShouldAllBe(s => s.Authorization.Contains("oauth_signature_method=\"PLAINTEXT\"", StringComparison.Ordinal), diagnostics);

        var started = server.Signals[1];
        started.Field("script_result_id").ShouldBe("11", diagnostics);
        started.Field("exit_status").ShouldBeNull(diagnostics);
        var finished = server.Signals[2];
        finished.Field("script_result_id").ShouldBe("11", diagnostics);
        finished.Field("name").ShouldBe("10-cpu", diagnostics);
        finished.Field("exit_status").ShouldBe("0", diagnostics);
        double.Parse(finished.Field("runtime")!, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0, diagnostics);
        finished.Files["10-cpu.out"].ShouldBe("cpus 4\n", diagnostics);
        finished.Files["10-cpu.err"].ShouldBe("warning\n", diagnostics);
        finished.Files["10-cpu.yaml"].ShouldBe("status: passed\n", diagnostics);
        finished.Files["10-cpu"].ShouldContain("cpus 4", customMessage: diagnostics);
        finished.Files["10-cpu"].ShouldContain("warning", customMessage: diagnostics);
        server.Signals[5].Field("script_result_id").ShouldBe("21", diagnostics);
        server.Signals[5].Files["20-smart.out"].ShouldBe("healthy\n", diagnostics);
    }

    [Fact]
    public async Task A_machine_whose_mac_is_registered_does_not_enlist_again()
    {
        await using var server = FakeMetadataServer.Start();
        server.Registered = true;

        var result = await RunnerOnHost.RunAsync(server.EnlistPreseedUrl, QemuVm.RandomMac(), Timeout);

        result.ExitCode.ShouldBe(2, Diagnostics(result, server));
        server.Enlistments.ShouldBeEmpty(Diagnostics(result, server));
        server.Signals.ShouldBeEmpty(Diagnostics(result, server));
    }

    [Fact]
    public async Task A_script_outliving_its_timeout_is_killed_with_its_children_signalled_TIMEDOUT_and_commissioning_fails()
    {
        await using var server = FakeMetadataServer.Start();
        var survivor = Path.Combine(Path.GetTempPath(), $"anvil-runner-survivor-{Guid.NewGuid():N}");
        server.QueueScripts(FakeMetadataServer.ScriptsTar(
            Index("commissioning_scripts", Item("10-hang", 11, "commissioning/10-hang", timeout: 1), Item("20-never", 12, "commissioning/20-never")),
            ("commissioning/10-hang", $"#!/bin/sh\necho begun\n(sleep 4; touch {survivor}) &\nsleep 60\n"),
            ("commissioning/20-never", "#!/bin/sh\necho ran\n")));

        var result = await RunnerOnHost.RunAsync(server.NodePreseedUrl, QemuVm.RandomMac(), Timeout);
        var diagnostics = Diagnostics(result, server);

        result.ExitCode.ShouldBe(1, diagnostics);
        server.Enlistments.ShouldBeEmpty(diagnostics);
        var timedOut = server.Signals.Single(s => s.Status == "TIMEDOUT");
        timedOut.Field("script_result_id").ShouldBe("11", diagnostics);
        timedOut.Files["10-hang.out"].ShouldBe("begun\n", diagnostics);
        var verdict = server.Signals[^1];
        verdict.Status.ShouldBe("FAILED", diagnostics);
        verdict.Field("error").ShouldBe("1 commissioning scripts failed to run", diagnostics);
        server.Signals.ShouldNotContain(s => s.Status == "TESTING", diagnostics);
        // The script's background child went with it: nothing is left to create the file.
        await Task.Delay(TimeSpan.FromSeconds(5));
        File.Exists(survivor).ShouldBeFalse(diagnostics);
    }

    [Fact]
    public async Task Instances_of_a_parallel_script_get_their_own_device_and_one_failure_fails_the_tests()
    {
        await using var server = FakeMetadataServer.Start();
        const string disk = "#!/bin/sh\necho \"$@\"\ncase \"$1\" in *sdb) exit 7 ;; esac\n";
        server.QueueScripts(FakeMetadataServer.ScriptsTar(
            Index(
                "testing_scripts",
                Item("30-disk", 31, "testing/30-disk", parallel: 1, parameters: Storage("sda")),
                Item("30-disk", 32, "testing/30-disk", parallel: 1, parameters: Storage("sdb")),
                Item("40-cpu", 41, "testing/40-cpu", parallel: 2)),
            ("testing/30-disk", disk),
            ("testing/40-cpu", "#!/bin/sh\necho stressed\n")));

        var result = await RunnerOnHost.RunAsync(server.NodePreseedUrl, QemuVm.RandomMac(), Timeout);
        var diagnostics = Diagnostics(result, server);

        result.ExitCode.ShouldBe(1, diagnostics);
        var results = server.Signals.Where(s => s.Field("exit_status") is not null).ToDictionary(s => s.Field("script_result_id")!);
        results["31"].Files["30-disk.out"].ShouldBe("--storage=/dev/sda\n", diagnostics);
        results["31"].Field("exit_status").ShouldBe("0", diagnostics);
        results["32"].Files["30-disk.out"].ShouldBe("--storage=/dev/sdb\n", diagnostics);
        results["32"].Field("exit_status").ShouldBe("7", diagnostics);
        results["41"].Field("exit_status").ShouldBe("0", diagnostics);
        server.Signals[^1].Status.ShouldBe("FAILED", diagnostics);
        server.Signals[^1].Field("error").ShouldBe("1 test scripts failed to run", diagnostics);
    }

    [Fact]
    public async Task A_long_script_is_accompanied_by_working_heartbeats()
    {
        await using var server = FakeMetadataServer.Start();
        server.QueueScripts(FakeMetadataServer.ScriptsTar(Index("testing_scripts", Item("50-slow", 51, "testing/50-slow")), ("testing/50-slow", "#!/bin/sh\nsleep 4\n")));

        var result = await RunnerOnHost.RunAsync(server.NodePreseedUrl, QemuVm.RandomMac(), Timeout, new Dictionary<string, string> { ["ANVIL_HEARTBEAT"] = "1" });
        var diagnostics = Diagnostics(result, server);

        result.ExitCode.ShouldBe(0, diagnostics);
        // A heartbeat names no script, unlike the start and result signals.
        server.Signals.ShouldContain(s => s.Status == "WORKING" && s.Field("name") == null, diagnostics);
        server.Signals[^1].Status.ShouldBe("OK", diagnostics);
    }

    private string Diagnostics(CommandResult result, FakeMetadataServer server)
    {
        var text = $"\n--- runner (exit {result.ExitCode}) ---\n{result.Error}\n{result.Output}\n--- requests ---\n{string.Join('\n', server.Requests)}\n--- signals ---\n" +
            string.Join('\n', server.Signals.Select(s => $"{s.Status} {JsonSerializer.Serialize(s.Fields)} files: {string.Join(", ", s.Files.Keys)}"));
        output.WriteLine(text);
        return text;
    }

    private static string Index(string section, params object[] items) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["1.0"] = new Dictionary<string, object[]> { [section] = items } });

    private static Dictionary<string, object> Item(string name, int resultId, string path, int timeout = 60, int parallel = 0, object? parameters = null) => new()
    {
        ["name"] = name,
        ["script_result_id"] = resultId,
        ["script_version_id"] = resultId + 1000,
        ["timeout_seconds"] = timeout,
        ["parallel"] = parallel,
        ["hardware_type"] = parameters is null ? 0 : 3,
        ["parameters"] = parameters ?? new Dictionary<string, object>(),
        ["packages"] = new Dictionary<string, object>(),
        ["for_hardware"] = Array.Empty<string>(),
        ["has_started"] = false,
        ["has_finished"] = false,
        ["path"] = path,
    };

    private static Dictionary<string, object> Storage(string name) => new()
    {
        ["storage"] = new Dictionary<string, object>
        {
            ["type"] = "storage",
            ["argument_format"] = "--storage={path}",
            ["value"] = new Dictionary<string, object> { ["name"] = name, ["id_path"] = $"/dev/disk/by-id/anvil-test-{name}-absent", ["model"] = "QEMU", ["serial"] = $"serial-{name}" },
        },
    };
}
