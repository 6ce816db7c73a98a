using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Anvil.Dns.Client;
using Anvil.Dns.Tests.Support;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Client;

public sealed class ZoneTransferClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_transfer_returns_what_was_added_in_the_order_and_form_dig_shows()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        DnsRecord[] added =
        [
            DnsRecord.Create("node.maas", DnsType.A, 30, "10.0.0.5"),
            DnsRecord.Create("node.maas", DnsType.AAAA, 30, "2001:db8::5"),
            DnsRecord.Create("mail.maas", DnsType.A, 30, "10.0.0.25"),
            DnsRecord.Create("maas", DnsType.MX, 30, "10 mail.maas."),
            DnsRecord.Create("alias.maas", DnsType.CNAME, 30, "node.maas."),
            DnsRecord.Create("info.maas", DnsType.TXT, 30, "\"some text\" \"more\""),
            DnsRecord.Create("_sip._tcp.maas", DnsType.SRV, 30, "0 5 5060 node.maas."),
            DnsRecord.Create("node.maas", DnsType.SSHFP, 30, "1 1 0123456789ABCDEF0123456789ABCDEF01234567"),
        ];
        await new DnsUpdateClient(named.EndPoint, named.Key, Timeout).UpdateAsync("maas", TestRecords.Adds(added), CancellationToken.None);

        var zone = await new ZoneTransferClient(named.EndPoint, named.Key, Timeout).TransferAsync("maas", CancellationToken.None);

        zone[0].Type.ShouldBe(DnsType.SOA);
        zone.Count(r => r.Type == DnsType.SOA).ShouldBe(1);
        zone.ShouldContain(DnsRecord.Create("maas", DnsType.NS, 30, "ns1.invalid."));
        added.Except(zone).ShouldBeEmpty();
        zone.Select(TestRecords.Line).ShouldBe(await named.DigTransferAsync("maas"));
    }

    [Fact]
    public async Task A_zone_too_large_for_one_message_arrives_whole_and_verified()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(TsigAlgorithm.HmacSha256), "maas");
        var records = TestRecords.ARecords("maas", "big", 3000);
        await new DnsUpdateClient(named.EndPoint, named.Key, Timeout).UpdateAsync("maas", TestRecords.Adds(records), CancellationToken.None);

        var zone = await new ZoneTransferClient(named.EndPoint, named.Key, Timeout).TransferAsync("maas", CancellationToken.None);

        zone.Count.ShouldBe(3002);
        records.Except(zone).ShouldBeEmpty();
        zone.Select(TestRecords.Line).ShouldBe(await named.DigTransferAsync("maas"));
    }

    [Fact]
    public async Task A_wrong_secret_is_reported_as_badsig()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var impostor = new TsigKey(named.Key.Name, named.Key.Algorithm, TsigKey.Generate("x").Secret);

        var error = await Should.ThrowAsync<ZoneTransferException>(() => new ZoneTransferClient(named.EndPoint, impostor, Timeout).TransferAsync("maas", CancellationToken.None));

        error.TsigError.ShouldBe(TsigError.BadSig);
        error.Message.ShouldBe($"BIND at 127.0.0.1:{named.Port} refused the transfer of zone maas: the TSIG signature did not verify (BADSIG): the secret of key 'anvil-test' differs from the server's.");
    }

    [Fact]
    public async Task A_zone_named_does_not_serve_is_refused_with_its_rcode()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");

        var error = await Should.ThrowAsync<ZoneTransferException>(() => new ZoneTransferClient(named.EndPoint, named.Key, Timeout).TransferAsync("other.test", CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Rejected);
        error.Rcode.ShouldBeOneOf(DnsRcode.NotAuth, DnsRcode.Refused);
        error.Message.ShouldStartWith($"BIND at 127.0.0.1:{named.Port} refused the transfer of zone other.test: ");
    }

    [Fact]
    public async Task A_closed_port_is_reported_as_connection_refused()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var endPoint = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();

        var error = await Should.ThrowAsync<ZoneTransferException>(() => new ZoneTransferClient(endPoint, TestRecords.NewKey(), Timeout).TransferAsync("maas", CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Connection);
        error.Message.ShouldContain("connection refused");
    }

    [Fact]
    public async Task Unsigned_messages_between_signed_ones_are_accepted()
    {
        var bodies = CapturedBigTransfer();
        await using var server = FakeTransferServer.Start(CaptureFiles.Key, bodies, signed: i => i is 0 or 4 or 9);

        var zone = await new ZoneTransferClient(server.EndPoint, CaptureFiles.Key, Timeout).TransferAsync("big.test", CancellationToken.None);

        zone.Count.ShouldBe(302);
        zone[0].Type.ShouldBe(DnsType.SOA);
    }

    [Fact]
    public async Task An_unsigned_last_message_is_refused()
    {
        var bodies = CapturedBigTransfer();
        await using var server = FakeTransferServer.Start(CaptureFiles.Key, bodies, signed: i => i is 0 or 4);

        var error = await Should.ThrowAsync<ZoneTransferException>(() => new ZoneTransferClient(server.EndPoint, CaptureFiles.Key, Timeout).TransferAsync("big.test", CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Signature);
        error.Message.ShouldContain("the last message of the transfer is not TSIG-signed");
    }

    [Fact]
    public async Task A_message_altered_after_signing_is_refused()
    {
        var bodies = CapturedBigTransfer();
        await using var server = FakeTransferServer.Start(CaptureFiles.Key, bodies, signed: _ => true, alter: 3);

        var error = await Should.ThrowAsync<ZoneTransferException>(() => new ZoneTransferClient(server.EndPoint, CaptureFiles.Key, Timeout).TransferAsync("big.test", CancellationToken.None));

        error.Failure.ShouldBe(DnsFailure.Signature);
        error.Message.ShouldContain("message 4 cannot be trusted: the response's TSIG signature does not verify with our key");
    }

    private static List<byte[]> CapturedBigTransfer() =>
        CaptureFiles.Responses("axfr-big").Select(raw =>
        {
            DnsMessageParser.TryParse(raw, out var message, out _).ShouldBeTrue();
            return TsigMac.Unsigned(raw, message!);
        }).ToList();

    /// <summary>Answers one AXFR request with the given message bodies, re-signing those <c>signed</c> picks for the request.</summary>
    private sealed class FakeTransferServer : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly Task serving;

        private FakeTransferServer(TcpListener listener, Func<Task> serve)
        {
            this.listener = listener;
            serving = serve();
        }

        public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

        public static FakeTransferServer Start(TsigKey key, List<byte[]> bodies, Func<int, bool> signed, int alter = -1)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new FakeTransferServer(listener, async () =>
            {
                using var connection = await listener.AcceptTcpClientAsync();
                var stream = connection.GetStream();
                var prefix = new byte[2];
                await stream.ReadExactlyAsync(prefix);
                var request = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(request);
                DnsMessageParser.TryParse(request, out var parsed, out _).ShouldBeTrue();
                var signer = new TsigServerSigner(key, parsed!.Tsig!.Mac, parsed.Id, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                for (var i = 0; i < bodies.Count; i++)
                {
                    var body = (byte[])bodies[i].Clone();
                    BinaryPrimitives.WriteUInt16BigEndian(body, parsed.Id);
                    var message = signed(i) ? signer.Sign(body) : signer.LeaveUnsigned(body);
                    if (i == alter)
                        message[20] ^= 1;
                    var framed = new byte[message.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
                    message.CopyTo(framed, 2);
                    await stream.WriteAsync(framed);
                }

                await stream.FlushAsync();
                await Task.Delay(500);
            });
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            try
            {
                await serving;
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                // The client may hang up first when it refuses the transfer.
            }
        }
    }
}
