using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Tests.Tftp.Support;
using Anvil.Rack.Tftp;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

/// <summary>Garbage at the live sockets: nothing escapes the loops, every packet is accounted for, and the server still serves.</summary>
public sealed class TftpServerFuzzTests
{
    private const string Dropped = "anvil_tftp_dropped_total";

    [Fact]
    public async Task Hundred_thousand_fuzz_packets_at_the_request_port_are_counted_and_the_server_still_serves()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMilliseconds(20), MaxRetransmits = 1 });
        var content = host.Files.AddRandom("pxelinux.0", 5000, seed: 1);
        host.Files.AddRandom("bin.dat", 3000, seed: 2);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // The server's answers to fuzz that happens to be a request land here unread; a small buffer keeps them cheap.
        sender.ReceiveBufferSize = 4096;

        var sent = 0;
        foreach (var packet in FuzzPackets.Generate(seed: 77, count: 100_000))
        {
            await sender.SendToAsync(packet, host.Endpoint);
            sent++;
            // Pace in small batches so the kernel never drops a datagram and every one can be accounted for.
            if (sent % 32 == 0)
                await WaitUntilAccountedAsync(host, sent);
        }

        await WaitUntilAccountedAsync(host, sent);
        Accounted(host).ShouldBe(sent);
        host.Value(Dropped, ("reason", "internal")).ShouldBe(0);
        host.Value(Dropped, ("reason", "malformed")).ShouldBeGreaterThan(10_000);
        host.Value("anvil_tftp_requests_total").ShouldBeGreaterThan(1_000);
        host.Server.State.ShouldBe(TftpServerState.Running);

        using var downloads = new TempDirectory();
        var result = await PeerProcess.RunAsync(
            "tftp", ["127.0.0.1", host.Port.ToString(), "-m", "binary", "-c", "get", "pxelinux.0", downloads.File("got")], downloads.Path);
        result.ExitCode.ShouldBe(0, result.Output);
        File.ReadAllBytes(downloads.File("got")).ShouldBe(content);
    }

    [Fact]
    public async Task Fuzz_into_a_running_transfer_never_fails_it_and_the_server_still_serves()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMinutes(1) });
        host.Files.AddRandom("vmlinuz", 512 * 1000, seed: 3);
        var content = host.Files.AddRandom("after", 2000, seed: 4);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("vmlinuz");
        await client.ReceiveAsync();

        foreach (var packet in FuzzPackets.Generate(seed: 78, count: 10_000))
            await client.SendToPeerAsync(packet);
        await client.SendToPeerAsync([0x00, 0x05, 0x00, 0x00, 0x00]);
        await host.WaitForAsync("anvil_tftp_transfers_total", 1, ("result", "client_error"));

        host.Value("anvil_tftp_transfers_total", ("result", "failed")).ShouldBe(0);
        host.Value(Dropped, ("reason", "unexpected_in_transfer")).ShouldBeGreaterThan(0);
        using var second = new RawTftpClient(host.Endpoint);
        (await second.DownloadAsync("after", ("blksize", "1468"))).Content.ShouldBe(content);
    }

    private static long Accounted(TftpServerHost host) =>
        host.Value("anvil_tftp_requests_total") +
        host.Value(Dropped, ("reason", "malformed")) +
        host.Value(Dropped, ("reason", "unexpected_opcode")) +
        host.Value(Dropped, ("reason", "bad_source")) +
        host.Value(Dropped, ("reason", "internal"));

    private static async Task WaitUntilAccountedAsync(TftpServerHost host, long sent)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Accounted(host) < sent)
        {
            if (deadline.IsCancellationRequested)
                throw new TimeoutException($"{Accounted(host)} of {sent} packets accounted for.");
            await Task.Yield();
        }
    }
}
