using System.Net;
using System.Net.Sockets;
using Anvil.Dns.Client;
using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Client;

/// <summary>What the caller learns when an update fails: against real named where it can be made to fail, fake servers otherwise.</summary>
public sealed class DnsUpdateFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_wrong_secret_is_reported_as_badsig()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var impostor = new TsigKey(named.Key.Name, named.Key.Algorithm, TsigKey.Generate("x").Secret);
        var client = new DnsUpdateClient(named.EndPoint, impostor, Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.TsigError.ShouldBe(TsigError.BadSig);
        error.Rcode.ShouldBe(DnsRcode.NotAuth);
        error.Failure.ShouldBe(DnsFailure.Signature);
        error.Message.ShouldBe($"BIND at 127.0.0.1:{named.Port} refused the update to zone maas: the TSIG signature did not verify (BADSIG): the secret of key 'anvil-test' differs from the server's.");
        (await named.DigShortAsync("node1.maas", "A")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_key_name_is_reported_as_badkey()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var stranger = new TsigKey("stranger", named.Key.Algorithm, named.Key.Secret);
        var client = new DnsUpdateClient(named.EndPoint, stranger, Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.TsigError.ShouldBe(TsigError.BadKey);
        error.Failure.ShouldBe(DnsFailure.Signature);
        error.Message.ShouldStartWith($"BIND at 127.0.0.1:{named.Port} refused the update to zone maas: the TSIG key 'stranger' is not known to the server");
        error.Message.ShouldContain("(BADKEY)");
    }

    [Fact]
    public async Task The_right_key_name_with_another_algorithm_is_reported_as_badkey()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(TsigAlgorithm.HmacSha512), "maas");
        var otherAlgorithm = new TsigKey(named.Key.Name, TsigAlgorithm.HmacSha256, named.Key.Secret);
        var client = new DnsUpdateClient(named.EndPoint, otherAlgorithm, Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.TsigError.ShouldBe(TsigError.BadKey);
        error.Message.ShouldContain("not with algorithm hmac-sha256");
    }

    [Fact]
    public async Task An_update_for_a_zone_named_does_not_serve_is_reported_as_notauth()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() =>
            client.UpdateAsync("other.test", [DnsUpdate.Add(DnsRecord.Create("a.other.test", DnsType.A, 30, "10.0.0.1"))], CancellationToken.None));

        error.Rcode.ShouldBe(DnsRcode.NotAuth);
        error.Failure.ShouldBe(DnsFailure.Rejected);
        error.Message.ShouldBe($"BIND at 127.0.0.1:{named.Port} refused the update to zone other.test: the server is not authoritative for zone other.test (NOTAUTH).");
    }

    [Fact]
    public async Task A_record_outside_the_zone_is_reported_as_notzone()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() =>
            client.UpdateAsync("maas", [DnsUpdate.Add(DnsRecord.Create("host.elsewhere", DnsType.A, 30, "10.0.0.1"))], CancellationToken.None));

        error.Rcode.ShouldBe(DnsRcode.NotZone);
        error.Message.ShouldContain("a record's name is not inside zone maas (NOTZONE)");
    }

    [Fact]
    public async Task An_rrset_beyond_binds_record_limit_is_reported_as_servfail_and_nothing_of_the_message_lands()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var changes = Enumerable.Range(1, 101)
            .Select(i => DnsUpdate.Add(DnsRecord.Create("many.maas", DnsType.A, 30, $"10.9.0.{i}")))
            .Prepend(DnsUpdate.Add(DnsRecord.Create("first.maas", DnsType.A, 30, "10.9.1.1")))
            .ToList();

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", changes, CancellationToken.None));

        error.Rcode.ShouldBe(DnsRcode.ServFail);
        error.Message.ShouldContain("max-records-per-type");
        (await named.DigShortAsync("first.maas", "A")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_later_message_failing_says_how_many_were_applied()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, Timeout);
        var changes = TestRecords.Adds(TestRecords.ARecords("maas", "a-rather-long-host-name-to-fill-messages-", 1500));
        changes.Add(DnsUpdate.Add(DnsRecord.Create("host.elsewhere", DnsType.A, 30, "10.0.0.1")));

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", changes, CancellationToken.None));

        error.MessagesApplied.ShouldBe(1);
        error.Message.ShouldContain("(1 of 2 UPDATE messages had been applied)");
        (await named.DigShortAsync("a-rather-long-host-name-to-fill-messages-00000.maas", "A")).ShouldBe(["10.0.0.0"]);
    }

    [Fact]
    public async Task A_closed_port_is_reported_as_connection_refused()
    {
        var port = ClosedPort();
        var client = new DnsUpdateClient(new IPEndPoint(IPAddress.Loopback, port), TestRecords.NewKey(), TimeSpan.FromSeconds(5));

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Connection);
        error.Message.ShouldBe($"Could not connect to BIND at 127.0.0.1:{port} to update zone maas: connection refused (is named running and listening on that port?).");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_reported_as_a_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var endPoint = (IPEndPoint)silent.LocalEndpoint;
        var client = new DnsUpdateClient(endPoint, TestRecords.NewKey(), TimeSpan.FromMilliseconds(500));

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Timeout);
        error.Message.ShouldBe($"BIND at {endPoint} did not answer the update to zone maas within 0.5 s.");
    }

    [Fact]
    public async Task A_server_that_answers_garbage_is_reported_as_an_invalid_response()
    {
        using var liar = new TcpListener(IPAddress.Loopback, 0);
        liar.Start();
        var answering = Task.Run(async () =>
        {
            using var connection = await liar.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var prefix = new byte[2];
            await stream.ReadExactlyAsync(prefix);
            await stream.ReadExactlyAsync(new byte[(prefix[0] << 8) | prefix[1]]);
            await stream.WriteAsync(new byte[] { 0, 5, 1, 2, 3, 4, 5 });
            await stream.FlushAsync();
            await Task.Delay(1000);
        });
        var client = new DnsUpdateClient((IPEndPoint)liar.LocalEndpoint, TestRecords.NewKey(), Timeout);

        var error = await Should.ThrowAsync<DnsUpdateException>(() => client.UpdateAsync("maas", [AnA()], CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.InvalidResponse);
        error.Message.ShouldContain("with a malformed message: message of 5 bytes is shorter than a header");
        await answering;
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var client = new DnsUpdateClient((IPEndPoint)silent.LocalEndpoint, TestRecords.NewKey(), Timeout);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => client.UpdateAsync("maas", [AnA()], cancel.Token));
    }

    private static DnsUpdate AnA() => DnsUpdate.Add(DnsRecord.Create("node1.maas", DnsType.A, 30, "10.0.0.5"));

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
