using System.Globalization;
using System.Net;
using System.Text.Json;
using Anvil.Data.Events;
using Anvil.Domain.Events;
using Anvil.Domain.Users;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class EventsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Query_lists_a_nodes_events_newest_first_in_maas_format()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await RecordAsync(node, EventTypes.COMMISSIONING, "first");
        await RecordAsync(node, EventTypes.READY, "second");

        var page = await (await user.Client.GetOpAsync("events/", "query", ("hostname", node.Hostname))).ShouldBeJsonAsync();

        page.GetProperty("count").GetInt32().ShouldBe(2);
        var events = page.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("description").GetString()).ShouldBe(["second", "first"]);
        var newest = events[0];
        newest.GetProperty("type").GetString().ShouldBe("Ready");
        newest.GetProperty("level").GetString().ShouldBe("INFO");
        newest.GetProperty("node").GetString().ShouldBe(node.SystemId);
        newest.GetProperty("hostname").GetString().ShouldBe(node.Hostname);
        newest.GetProperty("username").GetString().ShouldBe("unknown");
        DateTime.TryParseExact(newest.GetProperty("created").GetString(), "ddd, dd MMM. yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            .ShouldBeTrue(newest.GetProperty("created").GetString());
    }

    [Fact]
    public async Task Query_by_default_hides_events_below_info_and_level_lowers_the_threshold()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await RecordAsync(node, EventTypes.NODE_POWERED_ON, "debug");
        await RecordAsync(node, EventTypes.NODE_POWER_ON_FAILED, "error");

        var byDefault = await DescriptionsAsync(user, ("hostname", node.Hostname));
        var withDebug = await DescriptionsAsync(user, ("hostname", node.Hostname), ("level", "DEBUG"));
        var errorsOnly = await DescriptionsAsync(user, ("hostname", node.Hostname), ("level", "error"));

        byDefault.ShouldBe(["error"]);
        withDebug.ShouldBe(["error", "debug"]);
        errorsOnly.ShouldBe(["error"]);
    }

    [Fact]
    public async Task Query_of_audit_events_shows_admins_everyones_but_users_only_their_own()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var alice = await host.CreateUserAsync();
        var bob = await host.CreateUserAsync();
        await RecordAuditAsync(alice, "alice did it");
        await RecordAuditAsync(bob, "bob did it");

        var adminSees = await DescriptionsAsync(admin, ("level", "AUDIT"), ("owner", alice.Username));
        var aliceSees = await DescriptionsAsync(alice, ("level", "AUDIT"), ("owner", alice.Username));
        var bobSees = await DescriptionsAsync(bob, ("level", "AUDIT"), ("owner", alice.Username));

        adminSees.ShouldBe(["alice did it"]);
        aliceSees.ShouldBe(["alice did it"]);
        bobSees.ShouldBeEmpty();
    }

    [Fact]
    public async Task Query_pages_with_limit_and_links_to_newer_and_older_pages()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        foreach (var n in new[] { "1", "2", "3" })
            await RecordAsync(node, EventTypes.COMMISSIONING, n);

        var first = await (await user.Client.GetOpAsync("events/", "query", ("hostname", node.Hostname), ("limit", "2"))).ShouldBeJsonAsync();
        var ids = first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        var prevUri = first.GetProperty("prev_uri").GetString()!;
        var older = await (await user.Client.GetAsync(prevUri.Replace("/MAAS/api/2.0/", "", StringComparison.Ordinal))).ShouldBeJsonAsync();

        ids.Count.ShouldBe(2);
        first.GetProperty("next_uri").GetString().ShouldBe($"/MAAS/api/2.0/events/?op=query&hostname={node.Hostname}&limit=2&after={ids[0]}");
        prevUri.ShouldBe($"/MAAS/api/2.0/events/?op=query&hostname={node.Hostname}&limit=2&before={ids[1]}");
        older.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("description").GetString()).ShouldBe(["1"]);
    }

    [Fact]
    public async Task Query_with_after_lists_only_newer_events_still_newest_first()
    {
        var user = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await RecordAsync(node, EventTypes.COMMISSIONING, "old");
        var oldId = (await (await user.Client.GetOpAsync("events/", "query", ("hostname", node.Hostname))).ShouldBeJsonAsync())
            .GetProperty("events")[0].GetProperty("id").GetInt64();
        await RecordAsync(node, EventTypes.TESTING, "new1");
        await RecordAsync(node, EventTypes.READY, "new2");

        var newer = await DescriptionsAsync(user, ("hostname", node.Hostname), ("after", oldId.ToString(CultureInfo.InvariantCulture)));

        newer.ShouldBe(["new2", "new1"]);
    }

    [Fact]
    public async Task Query_with_no_matching_events_has_no_prev_uri()
    {
        var user = await host.CreateUserAsync();

        var page = await (await user.Client.GetOpAsync("events/", "query", ("hostname", "no-such-host"))).ShouldBeJsonAsync();

        page.GetProperty("count").GetInt32().ShouldBe(0);
        page.GetProperty("prev_uri").ValueKind.ShouldBe(JsonValueKind.Null);
        page.GetProperty("next_uri").GetString().ShouldBe("/MAAS/api/2.0/events/?op=query&hostname=no-such-host");
    }

    [Fact]
    public async Task Query_with_a_limit_over_1000_is_a_bad_request()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetOpAsync("events/", "query", ("limit", "1001"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        await (await user.Client.GetOpAsync("events/", "query", ("limit", "1000"))).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Query_with_both_before_and_after_is_a_bad_request()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetOpAsync("events/", "query", ("before", "10"), ("after", "5"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Query_with_an_unknown_level_is_a_bad_request()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetOpAsync("events/", "query", ("level", "LOUD"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Query_of_device_events_shows_nothing()
    {
        var user = await host.CreateUserAsync();
        var device = await host.CreateNodeAsync(nodeType: 1);
        await RecordAsync(device, EventTypes.COMMISSIONING, "device");

        (await DescriptionsAsync(user, ("hostname", device.Hostname))).ShouldBeEmpty();
    }

    private async Task<List<string?>> DescriptionsAsync(TestUser user, params (string, string)[] query)
    {
        var page = await (await user.Client.GetOpAsync("events/", "query", query)).ShouldBeJsonAsync();
        return page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("description").GetString()).ToList();
    }

    private Task RecordAsync(TestNode node, string type, string description) =>
        host.Database.InTransactionAsync(
            (c, tx) => EventStore.RecordAsync(c, tx, node.Id, new NodeEvent(type, description), actor: null, CancellationToken.None),
            CancellationToken.None);

    private Task RecordAuditAsync(TestUser user, string description) =>
        host.Database.InTransactionAsync(
            (c, tx) => EventStore.RecordAsync(c, tx, null, new NodeEvent(EventTypes.SETTINGS, description), new Actor(user.Id, user.Username, false), CancellationToken.None),
            CancellationToken.None);
}
