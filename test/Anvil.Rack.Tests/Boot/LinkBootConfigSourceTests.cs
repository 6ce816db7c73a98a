using Anvil.Domain.Boot;
using Anvil.Rack.Boot;
using Anvil.Rpc;
using Anvil.Testing;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

/// <summary>The rack's memory of the region's boot answers.</summary>
public sealed class LinkBootConfigSourceTests
{
    private static readonly BootRequest Request = new("10.20.0.1", "10.20.0.50", Mac: "52:54:00:12:34:56");

    [Fact]
    public async Task Without_a_cache_time_a_changed_purpose_is_seen_on_the_very_next_boot()
    {
        var answer = BootConfigs.Commissioning() with { Purpose = BootPurpose.Enlist };
        var calls = 0;
        var source = new LinkBootConfigSource((_, _, _) => { calls++; return Task.FromResult(answer); }, () => "rack1", TimeSpan.Zero, new ManualTimeProvider());

        (await source.GetAsync(Request, CancellationToken.None)).Purpose.ShouldBe(BootPurpose.Enlist);
        answer = answer with { Purpose = BootPurpose.Commissioning };

        (await source.GetAsync(Request, CancellationToken.None)).Purpose.ShouldBe(BootPurpose.Commissioning);
        calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_cache_time_reuses_the_answer_until_it_passes()
    {
        var clock = new ManualTimeProvider();
        var calls = 0;
        var source = new LinkBootConfigSource((_, _, _) => { calls++; return Task.FromResult(BootConfigs.Commissioning()); }, () => "rack1", TimeSpan.FromSeconds(5), clock);

        await source.GetAsync(Request, CancellationToken.None);
        await source.GetAsync(Request, CancellationToken.None);
        calls.ShouldBe(1);
        clock.Advance(TimeSpan.FromSeconds(6));
        await source.GetAsync(Request, CancellationToken.None);

        calls.ShouldBe(2);
    }

    [Fact]
    public async Task Without_a_region_the_last_answer_keeps_machines_booting_and_an_unknown_one_fails()
    {
        var regionUp = true;
        var source = new LinkBootConfigSource(
            (_, _, _) => regionUp ? Task.FromResult(BootConfigs.Xinstall()) : throw new LinkException("no region"),
            () => "rack1",
            TimeSpan.Zero,
            new ManualTimeProvider());
        await source.GetAsync(Request, CancellationToken.None);
        regionUp = false;

        (await source.GetAsync(Request, CancellationToken.None)).Purpose.ShouldBe(BootPurpose.Xinstall);
        await Should.ThrowAsync<LinkException>(() => source.GetAsync(Request with { Mac = "52:54:00:00:00:01" }, CancellationToken.None));
    }
}
