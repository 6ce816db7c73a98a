using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Metadata;
using Anvil.Region.Tests.Support;
using Anvil.Region.Timeline;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Region.Tests.Timeline;

/// <summary>op=boot_timeline: what the metadata server saw a node do, with its status changes, through the API.</summary>
public sealed class BootTimelineApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    private BootTimeline Timeline => host.Services.GetRequiredService<BootTimeline>();

    [Fact]
    public async Task Metadata_calls_and_signals_of_a_node_are_on_its_timeline_in_order()
    {
        var node = await _md.CreateMachineAsync(NEW);
        await (await _md.AnonymousClient().GetAsync($"latest/by-id/{node.SystemId}/?op=get_preseed")).ShouldBeTextAsync(HttpStatusCode.OK);
        await (await node.Client.GetAsync("latest/meta-data/instance-id")).ShouldBeTextAsync(HttpStatusCode.OK);
        await (await MetadataHarness.SignalAsync(node.Client, "COMMISSIONING")).ShouldBeTextAsync(HttpStatusCode.OK);
        await Timeline.FlushAsync(CancellationToken.None);

        var timeline = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "boot_timeline")).ShouldBeJsonAsync();

        var rows = timeline.EnumerateArray().Select(e => (Stage: e.GetProperty("stage").GetString(), Kind: e.GetProperty("kind").GetString())).ToList();
        rows.ShouldContain(("metadata", "preseed"));
        rows.ShouldContain(("metadata", "meta-data"));
        rows.ShouldContain(("signal", "COMMISSIONING"));
        rows.ShouldContain(r => r.Stage == "status");
        rows.FindIndex(r => r.Kind == "preseed").ShouldBeLessThan(rows.FindIndex(r => r.Kind == "COMMISSIONING"));
        var at = timeline.EnumerateArray().Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        at.ShouldBe(at.Order().ToList());
    }

    [Fact]
    public async Task Limit_and_since_are_validated_like_maas_fields()
    {
        var node = await _md.CreateMachineAsync(READY);

        var badLimit = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "boot_timeline", ("limit", "0"))).ShouldBeJsonAsync(HttpStatusCode.BadRequest);
        var badSince = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "boot_timeline", ("since", "yesterday"))).ShouldBeJsonAsync(HttpStatusCode.BadRequest);

        badLimit.GetProperty("limit").ValueKind.ShouldBe(JsonValueKind.Array);
        badSince.GetProperty("since").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task An_unknown_machine_has_no_timeline()
    {
        var admin = await host.CreateUserAsync(admin: true);

        await (await admin.Client.GetOpAsync("machines/nosuch/", "boot_timeline")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Recording_from_many_threads_at_once_loses_nothing()
    {
        var node = await _md.CreateMachineAsync(READY);
        var start = DateTimeOffset.UtcNow;

        await Parallel.ForAsync(0, 2_000, async (i, _) =>
        {
            Timeline.Record(new Data.Timeline.BootEventRow(start.AddTicks(i), "metadata", $"race{i}", NodeId: node.Id, Source: "test"));
            await Task.Yield();
        });
        await Timeline.FlushAsync(CancellationToken.None);

        var timeline = await (await node.Admin.Client.GetOpAsync($"machines/{node.SystemId}/", "boot_timeline", ("limit", "5000"))).ShouldBeJsonAsync();
        timeline.EnumerateArray().Count(e => e.GetProperty("kind").GetString()!.StartsWith("race", StringComparison.Ordinal)).ShouldBe(2_000);
    }
}
