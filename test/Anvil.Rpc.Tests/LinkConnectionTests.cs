using System.Text.Json;
using Anvil.Domain.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rpc.Tests;

public sealed class LinkConnectionTests
{
    private static readonly SharedSecret Secret = SharedSecret.Generate();

    private sealed record Echo(string Text, int Number);

    private static async Task<(LinkConnection Region, LinkConnection Rack)> ConnectAsync(
        SocketPair pair, LinkCallHandler regionCalls, LinkCallHandler rackCalls, SharedSecret? rackSecret = null)
    {
        var region = LinkHandshake.AcceptAsync(pair.Region, Secret, "rack", regionCalls, NullLogger.Instance, CancellationToken.None);
        var rack = LinkHandshake.ConnectAsync(pair.Rack, rackSecret ?? Secret, "region", rackCalls, NullLogger.Instance, CancellationToken.None);
        return (await region, await rack);
    }

    private static Task<object?> EchoHandler(string method, JsonElement args, CancellationToken ct) => method switch
    {
        "echo" => Task.FromResult<object?>(LinkJson.FromElement<Echo>(args) with { Number = LinkJson.FromElement<Echo>(args).Number + 1 }),
        "missing" => throw new NotFoundException("No such rack."),
        "invalid" => throw new ValidationException("status", "bad status"),
        "crash" => throw new InvalidOperationException("secret internals"),
        _ => throw new LinkUnknownMethodException(method),
    };

    [Fact]
    public async Task Both_sides_call_each_other_over_one_link()
    {
        using var pair = await SocketPair.CreateAsync();
        var (region, rack) = await ConnectAsync(pair, EchoHandler, EchoHandler);
        await using (region)
        await using (rack)
        {
            var fromRack = await rack.CallAsync<Echo>("echo", new Echo("to region", 1), CancellationToken.None);
            var fromRegion = await region.CallAsync<Echo>("echo", new Echo("to rack", 10), CancellationToken.None);

            fromRack.ShouldBe(new Echo("to region", 2));
            fromRegion.ShouldBe(new Echo("to rack", 11));
        }
    }

    [Fact]
    public async Task Many_concurrent_calls_each_get_their_own_answer()
    {
        using var pair = await SocketPair.CreateAsync();
        var (region, rack) = await ConnectAsync(pair, EchoHandler, EchoHandler);
        await using (region)
        await using (rack)
        {
            var calls = Enumerable.Range(0, 500).Select(i => rack.CallAsync<Echo>("echo", new Echo($"n{i}", i), CancellationToken.None)).ToList();
            var answers = await Task.WhenAll(calls);

            answers.Select(a => a.Number).ShouldBe(Enumerable.Range(1, 500));
            answers.Select(a => a.Text).ShouldBe(Enumerable.Range(0, 500).Select(i => $"n{i}"));
        }
    }

    [Fact]
    public async Task A_rack_with_the_wrong_secret_is_refused_and_no_call_runs()
    {
        using var pair = await SocketPair.CreateAsync();
        var ran = 0;
        LinkCallHandler counting = (m, a, ct) => { Interlocked.Increment(ref ran); return Task.FromResult<object?>(null); };
        var region = LinkHandshake.AcceptAsync(pair.Region, Secret, "rack", counting, NullLogger.Instance, CancellationToken.None);
        var rack = LinkHandshake.ConnectAsync(pair.Rack, SharedSecret.Generate(), "region", counting, NullLogger.Instance, CancellationToken.None);

        await Should.ThrowAsync<LinkException>(region);
        await Should.ThrowAsync<LinkException>(rack);
        ran.ShouldBe(0);
    }

    [Fact]
    public async Task A_client_that_answers_the_challenge_with_garbage_is_refused()
    {
        using var pair = await SocketPair.CreateAsync();
        var region = LinkHandshake.AcceptAsync(pair.Region, Secret, "rack", EchoHandler, NullLogger.Instance, CancellationToken.None);
        var challenge = new byte[4096];
        await pair.Rack.ReceiveAsync(challenge, CancellationToken.None);
        var forged = """{"t":"auth","nonce":"00","digest":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}"""u8.ToArray();
        await pair.Rack.SendAsync(forged, System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

        var refused = await Should.ThrowAsync<LinkException>(region);
        refused.Message.ShouldContain("shared-secret");
    }

    [Fact]
    public async Task A_region_that_does_not_know_the_secret_is_not_trusted_by_the_rack()
    {
        using var pair = await SocketPair.CreateAsync();
        var rack = LinkHandshake.ConnectAsync(pair.Rack, Secret, "region", EchoHandler, NullLogger.Instance, CancellationToken.None);
        var impostor = LinkHandshake.AcceptAsync(pair.Region, SharedSecret.Generate(), "rack", EchoHandler, NullLogger.Instance, CancellationToken.None);

        await Should.ThrowAsync<LinkException>(rack);
        await Should.ThrowAsync<LinkException>(impostor);
    }

    [Theory]
    [InlineData("missing", "not_found", "No such rack.")]
    [InlineData("invalid", "validation", null)]
    [InlineData("nope", "unknown_method", "No method 'nope'")]
    [InlineData("crash", "internal", "see the log")]
    public async Task Failures_on_the_other_side_come_back_as_a_kind_and_message(string method, string kind, string? text)
    {
        using var pair = await SocketPair.CreateAsync();
        var (region, rack) = await ConnectAsync(pair, EchoHandler, EchoHandler);
        await using (region)
        await using (rack)
        {
            var failure = await Should.ThrowAsync<LinkCallException>(rack.CallAsync(method, new { }, CancellationToken.None));

            failure.Error.Kind.ShouldBe(kind);
            if (text is not null)
                failure.Error.Message.ShouldContain(text);
            failure.Error.Message.ShouldNotContain("secret internals");
        }
    }

    [Fact]
    public async Task Calls_in_flight_fail_when_the_link_closes()
    {
        using var pair = await SocketPair.CreateAsync();
        var entered = new TaskCompletionSource();
        LinkCallHandler hang = async (m, a, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        };
        var (region, rack) = await ConnectAsync(pair, hang, EchoHandler);
        await using (rack)
        {
            var call = rack.CallAsync("slow", new { }, CancellationToken.None);
            await entered.Task;
            await region.DisposeAsync();

            await Should.ThrowAsync<LinkException>(call);
            await rack.Completion;
            rack.IsOpen.ShouldBeFalse();
        }
    }

    [Fact]
    public async Task An_unreadable_frame_ends_the_link()
    {
        using var pair = await SocketPair.CreateAsync();
        var (region, rack) = await ConnectAsync(pair, EchoHandler, EchoHandler);
        await using (region)
        await using (rack)
        {
            await pair.Rack.SendAsync("{not json"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

            await region.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            region.IsOpen.ShouldBeFalse();
        }
    }
}
