using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Metadata;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// The machine object's <c>commissioning_status</c>, <c>testing_status</c> and per-hardware test
/// statuses (maas-api.md §4), summed up from the current sets' results as MAAS does: running and
/// pending first, then failures (timed out counts as failed), degraded, else passed; aborted
/// results left out, suppressed ones not counted; −1 "Unknown" without results.
/// </summary>
public sealed class MachineScriptStatusTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task A_machine_without_script_results_shows_every_status_unknown()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.NEW);

        var machine = await MachineAsync(node);

        foreach (var field in Fields)
        {
            machine.GetProperty(field).GetInt32().ShouldBe(-1, field);
            machine.GetProperty(field + "_name").GetString().ShouldBe("Unknown", field);
        }
    }

    [Fact]
    public async Task Statuses_sum_up_the_current_sets_by_hardware_type_with_maas_precedence()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.TESTING);
        var (_, commissioning) = await SetAsync(node, ResultType.Commissioning, (HardwareType.Node, ScriptStatus.Passed, false), (HardwareType.Node, ScriptStatus.Skipped, false));
        await SetAsync(
            node,
            ResultType.Testing,
            (HardwareType.Cpu, ScriptStatus.TimedOut, false),
            (HardwareType.Cpu, ScriptStatus.Degraded, false),
            (HardwareType.Memory, ScriptStatus.Passed, false),
            (HardwareType.Storage, ScriptStatus.Pending, false),
            (HardwareType.Network, ScriptStatus.Aborted, false),
            (HardwareType.Node, ScriptStatus.Passed, false),
            (HardwareType.Node, ScriptStatus.Failed, true));

        var machine = await MachineAsync(node);

        Status(machine, "commissioning_status").ShouldBe((2, "Passed"));
        Status(machine, "testing_status").ShouldBe((0, "Pending"));
        Status(machine, "cpu_test_status").ShouldBe((3, "Failed"));
        Status(machine, "memory_test_status").ShouldBe((2, "Passed"));
        Status(machine, "storage_test_status").ShouldBe((0, "Pending"));
        Status(machine, "network_test_status").ShouldBe((-1, "Unknown"));
        Status(machine, "interface_test_status").ShouldBe((-1, "Unknown"));
        Status(machine, "other_test_status").ShouldBe((2, "Passed"));

        // A running commissioning script makes commissioning running; the listing says the same.
        await _md.ExecuteAsync("UPDATE script_result SET status = @running WHERE id = @id", new { running = (int)ScriptStatus.Running, id = commissioning[1] });
        var listed = await (await node.Admin.Client.GetAsync("machines/", ("id", node.SystemId))).ShouldBeJsonAsync();
        Status(listed[0], "commissioning_status").ShouldBe((1, "Running"));
    }

    [Fact]
    public async Task Only_the_current_testing_set_counts()
    {
        var node = await _md.CreateMachineAsync(NodeStatus.READY);
        await SetAsync(node, ResultType.Testing, (HardwareType.Memory, ScriptStatus.Failed, false));
        await SetAsync(node, ResultType.Testing, (HardwareType.Memory, ScriptStatus.Passed, false));

        var machine = await MachineAsync(node);

        Status(machine, "testing_status").ShouldBe((2, "Passed"));
        Status(machine, "memory_test_status").ShouldBe((2, "Passed"));
    }

    private static readonly string[] Fields =
    [
        "commissioning_status", "testing_status", "cpu_test_status", "memory_test_status", "network_test_status",
        "storage_test_status", "other_test_status", "interface_test_status",
    ];

    private static (int Status, string Name) Status(JsonElement machine, string field) =>
        (machine.GetProperty(field).GetInt32(), machine.GetProperty(field + "_name").GetString()!);

    private static async Task<JsonElement> MachineAsync(MetadataNodeUnderTest node) =>
        await (await node.Admin.Client.GetAsync($"machines/{node.SystemId}/")).ShouldBeJsonAsync();

    /// <summary>A current set of <paramref name="type"/> with one result per entry, each from its own script of that hardware type.</summary>
    private async Task<(long SetId, IReadOnlyList<long> ResultIds)> SetAsync(
        MetadataNodeUnderTest node, ResultType type, params (HardwareType Hardware, ScriptStatus Status, bool Suppressed)[] results)
    {
        var scriptType = type == ResultType.Testing ? ScriptType.Testing : ScriptType.Commissioning;
        var scripts = new List<long>();
        foreach (var (hardware, _, _) in results)
        {
            var (id, _) = await _md.AddScriptAsync(MetadataHarness.Unique("st"), scriptType);
            await _md.ExecuteAsync("UPDATE script SET hardware_type = @hardware WHERE id = @id", new { hardware = (int)hardware, id });
            scripts.Add(id);
        }

        var (setId, resultIds) = await _md.AddSetAsync(node.Id, type, [.. scripts]);
        for (var i = 0; i < results.Length; i++)
        {
            await _md.ExecuteAsync(
                "UPDATE script_result SET status = @status, suppressed = @suppressed WHERE id = @id",
                new { status = (int)results[i].Status, suppressed = results[i].Suppressed, id = resultIds[i] });
        }

        return (setId, resultIds);
    }
}
