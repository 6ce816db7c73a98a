using Anvil.Rack.RegionLink;
using Anvil.Rpc;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.RegionLink;

public sealed class RegionLinksTests
{
    private static readonly SharedSecret Secret = SharedSecret.Generate();

    private static readonly LinkCallHandler NoCalls = (m, a, ct) => throw new LinkUnknownMethodException(m);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_pool_bursts_while_every_link_is_busy_and_shrinks_back_when_idle()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkCallHandler slow = async (method, args, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return method;
        };
        await using var region = await TestRegion.StartAsync(Secret, slow);
        var options = new RegionLinkOptions { MinConnections = 1, MaxConnections = 3, BurstWhenInFlight = 2, IdleTimeout = TimeSpan.FromMilliseconds(500) };
        await using var links = new RegionLinks([region.Url], Secret, NoCalls, options, NullLogger.Instance);
        links.Start();
        await WaitUntilAsync(() => links.IsConnected, "the first link");
        region.OpenLinks.ShouldBe(1);

        var calls = new List<Task<string>>();
        for (var i = 0; i < 12; i++)
        {
            calls.Add(links.CallAsync<string>($"call{i}", new { }, CancellationToken.None));
            await Task.Delay(50);
        }

        await WaitUntilAsync(() => region.OpenLinks == 3, "the pool to burst to its limit");
        await Task.Delay(300);
        region.OpenLinks.ShouldBe(3);
        release.SetResult();
        (await Task.WhenAll(calls)).ShouldBe(Enumerable.Range(0, 12).Select(i => $"call{i}"));

        await WaitUntilAsync(() => region.OpenLinks == 1, "idle links to close down to the minimum");
        links.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task A_lost_region_is_reconnected_when_it_comes_back()
    {
        LinkCallHandler echo = (method, args, ct) => Task.FromResult<object?>(method);
        await using var region = await TestRegion.StartAsync(Secret, echo);
        var options = new RegionLinkOptions { BackoffMin = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromMilliseconds(300), ConnectWait = TimeSpan.FromMilliseconds(500) };
        await using var links = new RegionLinks([region.Url], Secret, NoCalls, options, NullLogger.Instance);
        var connections = 0;
        links.Connected += _ => Interlocked.Increment(ref connections);
        links.Start();
        await WaitUntilAsync(() => links.IsConnected, "the first link");

        await region.StopAsync();
        await WaitUntilAsync(() => !links.IsConnected, "the link to drop");
        await Should.ThrowAsync<LinkException>(links.CallAsync<string>("while-away", new { }, CancellationToken.None));
        links.Problems.ShouldNotBeEmpty();

        await region.StartAsync();

        await WaitUntilAsync(() => links.IsConnected, "the link to come back");
        (await links.CallAsync<string>("after", new { }, CancellationToken.None)).ShouldBe("after");
        connections.ShouldBe(2);
    }

    [Fact]
    public async Task Calls_go_to_a_region_that_is_up_when_another_is_down()
    {
        LinkCallHandler first = (m, a, ct) => Task.FromResult<object?>("first");
        LinkCallHandler second = (m, a, ct) => Task.FromResult<object?>("second");
        await using var up = await TestRegion.StartAsync(Secret, second);
        await using var down = await TestRegion.StartAsync(Secret, first);
        await down.StopAsync();
        await using var links = new RegionLinks([down.Url, up.Url], Secret, NoCalls, new RegionLinkOptions(), NullLogger.Instance);
        links.Start();

        (await links.CallAsync<string>("who", new { }, CancellationToken.None)).ShouldBe("second");
        links.RegionsInPreferenceOrder[0].ShouldBe(up.Url);
    }

    [Fact]
    public void Region_urls_become_link_urls() =>
        RegionPool.LinkUriFor("https://region.example:5443/MAAS/").ToString().ShouldBe("wss://region.example:5443/MAAS/rpc/link");

}
