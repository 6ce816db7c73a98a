using System.Net;
using Anvil.Data.Timeline;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

/// <summary><c>boot-timeline/?mac=</c>: the timeline of a MAC that never enlisted (an Anvil extension).</summary>
public sealed class BootTimelineByMacTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private static string RandomMac() => "52:54:" + string.Join(':', Enumerable.Range(0, 4).Select(_ => Random.Shared.Next(256).ToString("x2")));

    /// <summary>Rows as a rack reports them: a MAC and no node.</summary>
    private async Task<DateTimeOffset> RackRowsAsync(string mac, params string[] kinds)
    {
        // Whole seconds: the table keeps microseconds, and the test compares times exactly.
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddMinutes(-10);
        await host.Database.ReadAsync(
            c => BootEventStore.InsertAsync(c, [.. kinds.Select((kind, i) => new BootEventRow(t0.AddSeconds(i), "dhcp", kind, $"row {i}", Mac: mac, Source: "rack1"))], CancellationToken.None),
            CancellationToken.None);
        return t0;
    }

    [Fact]
    public async Task An_admin_reads_the_rows_of_one_mac_oldest_first_whatever_its_spelling()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var mac = RandomMac();
        var t0 = await RackRowsAsync(mac, "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPACK");
        await RackRowsAsync(RandomMac(), "DHCPDISCOVER");

        var timeline = await (await admin.Client.GetAsync("boot-timeline/", ("mac", mac.ToUpperInvariant().Replace(':', '-')))).ShouldBeJsonAsync();

        timeline.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe(["DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPACK"]);
        var first = timeline[0];
        first.GetProperty("at").GetString().ShouldBe(t0.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        first.GetProperty("stage").GetString().ShouldBe("dhcp");
        first.GetProperty("detail").GetString().ShouldBe("row 0");
        first.GetProperty("mac").GetString().ShouldBe(mac);
        first.GetProperty("source").GetString().ShouldBe("rack1");
    }

    [Fact]
    public async Task Since_and_limit_keep_the_newest_rows_of_the_mac()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var mac = RandomMac();
        var t0 = await RackRowsAsync(mac, "r0", "r1", "r2", "r3", "r4");

        var newest = await (await admin.Client.GetAsync("boot-timeline/", ("mac", mac), ("limit", "2"))).ShouldBeJsonAsync();
        var since = await (await admin.Client.GetAsync("boot-timeline/", ("mac", mac), ("since", t0.AddSeconds(3).ToString("O")))).ShouldBeJsonAsync();

        newest.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe(["r3", "r4"]);
        since.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe(["r3", "r4"]);
    }

    [Fact]
    public async Task A_mac_with_no_rows_has_an_empty_timeline()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var timeline = await (await admin.Client.GetAsync("boot-timeline/", ("mac", RandomMac()))).ShouldBeJsonAsync();

        timeline.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_missing_or_malformed_mac_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var missing = await (await admin.Client.GetAsync("boot-timeline/")).ShouldBeFieldErrorsAsync();
        var malformed = await (await admin.Client.GetAsync("boot-timeline/", ("mac", "52:54:00:zz:00:01"))).ShouldBeFieldErrorsAsync();
        var badLimit = await (await admin.Client.GetAsync("boot-timeline/", ("mac", RandomMac()), ("limit", "0"))).ShouldBeFieldErrorsAsync();

        missing["mac"].ShouldBe(["This field is required."]);
        malformed["mac"].ShouldBe(["'52:54:00:zz:00:01' is not a valid MAC address."]);
        badLimit.Keys.ShouldBe(["limit"]);
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_is_refused()
    {
        var user = await host.CreateUserAsync(admin: false);
        var mac = RandomMac();
        await RackRowsAsync(mac, "DHCPDISCOVER");

        var response = await user.Client.GetAsync("boot-timeline/", ("mac", mac));

        (await response.ShouldBeTextAsync(HttpStatusCode.Forbidden)).ShouldBe("This method is reserved for admin users.");
    }
}
