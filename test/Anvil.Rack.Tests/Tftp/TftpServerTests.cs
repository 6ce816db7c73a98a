using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Metrics;
using Anvil.Rack.Tests.Tftp.Support;
using Anvil.Rack.Tftp;
using Anvil.Rack.Tftp.Codec;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

/// <summary>The server's protocol behaviour, driven packet by packet from a raw client on loopback.</summary>
public sealed class TftpServerTests
{
    private const string Transfers = "anvil_tftp_transfers_total";

    [Fact]
    public async Task Transfer_answers_from_a_new_port_not_the_request_port()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("pxelinux.0", 1300, seed: 1);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("pxelinux.0");

        download.Content.ShouldBe(content);
        download.OptionAck.ShouldBeNull();
        client.Peer!.Port.ShouldNotBe(host.Port);
        await host.WaitForAsync(Transfers, 1, ("result", "completed"));
        host.Value("anvil_tftp_bytes_sent_total").ShouldBe(1300);
        host.Value("anvil_tftp_requests_total").ShouldBe(1);
    }

    [Fact]
    public async Task Windowsize_sends_a_window_of_blocks_per_ack()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("vmlinuz", 1024 * 100 + 17, seed: 2);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("vmlinuz", ("blksize", "1024"), ("windowsize", "8"), ("tsize", "0"));

        download.Content.ShouldBe(content);
        download.OptionAck.ShouldBe([new("blksize", "1024"), new("windowsize", "8"), new("tsize", "102417")]);
        download.DataPackets.ShouldBe(101);
        await host.WaitForAsync(Transfers, 1, ("result", "completed"));
        host.Value("anvil_tftp_retransmits_total").ShouldBe(0);
    }

    [Fact]
    public async Task Empty_file_with_options_is_one_empty_block_after_the_oack()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.Add("empty", []);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("empty", ("tsize", "0"), ("blksize", "1468"), ("windowsize", "4"));

        download.OptionAck.ShouldBe([new("tsize", "0"), new("blksize", "1468"), new("windowsize", "4")]);
        download.Content.ShouldBeEmpty();
        download.DataPackets.ShouldBe(1);
        await host.WaitForAsync(Transfers, 1, ("result", "completed"));
    }

    [Fact]
    public async Task Ack_inside_a_window_restarts_the_window_after_that_block()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMinutes(1) });
        host.Files.AddRandom("initrd", 512 * 20, seed: 3);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("initrd", ("windowsize", "4"));
        TftpOptionAck.TryRead(await client.ReceiveAsync(), out _).ShouldBeTrue();
        await client.AckAsync(0);

        var first = new List<ushort>();
        for (var i = 0; i < 4; i++)
            first.Add((await client.ReceiveDataAsync()).Block);
        await client.AckAsync(2);
        var second = new List<ushort>();
        for (var i = 0; i < 4; i++)
            second.Add((await client.ReceiveDataAsync()).Block);

        first.ShouldBe([1, 2, 3, 4]);
        second.ShouldBe([3, 4, 5, 6]);
    }

    [Fact]
    public async Task Duplicate_ack_is_ignored_rather_than_answered_with_data()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMinutes(1) });
        host.Files.AddRandom("grubx64.efi", 512 * 4, seed: 4);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("grubx64.efi");

        (await client.ReceiveDataAsync()).Block.ShouldBe((ushort)1);
        await client.AckAsync(1);
        await client.AckAsync(1);
        (await client.ReceiveDataAsync()).Block.ShouldBe((ushort)2);
        await client.AckAsync(2);

        // A server with the Sorcerer's Apprentice bug answers the second ACK 1 with DATA 2 again.
        (await client.ReceiveDataAsync()).Block.ShouldBe((ushort)3);
        host.Value("anvil_tftp_duplicate_acks_total").ShouldBe(1);
    }

    [Fact]
    public async Task Missing_ack_makes_the_server_send_the_window_again()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMilliseconds(100) });
        var content = host.Files.AddRandom("bootx64.efi", 700, seed: 5);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("bootx64.efi");

        var first = await client.ReceiveDataAsync();
        var again = await client.ReceiveDataAsync();
        await client.AckAsync(1);
        var last = await client.ReceiveDataAsync();
        // With a short timeout DATA 1 may be sent a third time before our ACK lands.
        while (last.Block == 1)
            last = await client.ReceiveDataAsync();
        await client.AckAsync(2);

        again.Block.ShouldBe((ushort)1);
        again.Payload.ShouldBe(first.Payload);
        first.Payload.Concat(last.Payload).ToArray().ShouldBe(content);
        await host.WaitForAsync(Transfers, 1, ("result", "completed"));
        host.Value("anvil_tftp_retransmits_total").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Client_that_never_acks_is_given_up_with_an_error()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMilliseconds(50), MaxRetransmits = 2 });
        host.Files.AddRandom("ldlinux.c32", 100, seed: 6);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("ldlinux.c32");

        for (var i = 0; i < 3; i++)
            (await client.ReceiveDataAsync()).Block.ShouldBe((ushort)1);
        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.NotDefined);
        await host.WaitForAsync(Transfers, 1, ("result", "timeout"));
        host.Value("anvil_tftp_retransmits_total").ShouldBe(2);
    }

    [Fact]
    public async Task Block_numbers_wrap_from_65535_to_0()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("big", 8 * 65537 + 3, seed: 7);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("big", ("blksize", "8"), ("windowsize", "64"));

        download.Content.ShouldBe(content);
        download.Wraps.ShouldBe(1);
    }

    [Fact]
    public async Task Oversized_blksize_is_answered_with_the_largest_allowed()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("rootfs", 200_000, seed: 8);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("rootfs", ("BLKSIZE", "70000"));

        download.OptionAck.ShouldBe([new("BLKSIZE", "65464")]);
        download.Content.ShouldBe(content);
        download.DataPackets.ShouldBe(4);
    }

    [Fact]
    public async Task Request_with_only_unknown_options_gets_data_without_an_oack()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("ipxe.efi", 600, seed: 9);
        using var client = new RawTftpClient(host.Endpoint);

        var download = await client.DownloadAsync("ipxe.efi", ("multicast", ""), ("blksize", "4"));

        download.OptionAck.ShouldBeNull();
        download.Content.ShouldBe(content);
    }

    [Fact]
    public async Task Netascii_read_sends_the_wire_form_and_no_tsize()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.Add("pxelinux.cfg/default", "DEFAULT local\nLABEL local\n"u8.ToArray());
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("pxelinux.cfg/default", TftpMode.Netascii, ("tsize", "0"));

        var data = await client.ReceiveDataAsync();
        await client.AckAsync(data.Block);

        data.Payload.ShouldBe([.. "DEFAULT local\r\nLABEL local\r\n"u8]);
    }

    [Fact]
    public async Task Client_error_after_the_oack_ends_the_transfer()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.AddRandom("undionly.kpxe", 70_000, seed: 10);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("undionly.kpxe", ("tsize", "0"));

        TftpOptionAck.TryRead(await client.ReceiveAsync(), out var options).ShouldBeTrue();
        var abort = new TftpError(TftpErrorCode.OptionsRefused, "just asking the size");
        var packet = new byte[abort.Size];
        abort.Write(packet);
        await client.SendToPeerAsync(packet);

        options.ShouldBe([new("tsize", "70000")]);
        await host.WaitForAsync(Transfers, 1, ("result", "client_error"));
    }

    [Fact]
    public async Task Garbage_from_the_client_during_a_transfer_is_dropped_and_the_transfer_completes()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMinutes(1) });
        var content = host.Files.AddRandom("kernel", 1500, seed: 11);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("kernel");

        var received = new List<byte>();
        var data = await client.ReceiveDataAsync();
        received.AddRange(data.Payload);
        await client.SendToPeerAsync([0x00, 0x04, 0x00]);
        await client.SendToPeerAsync([0x00, 0x03, 0x00, 0x01, 0x41]);
        await client.SendToPeerAsync([0x99]);
        await client.AckAsync(1);
        while (data.Payload.Length == 512)
        {
            data = await client.ReceiveDataAsync();
            received.AddRange(data.Payload);
            await client.AckAsync(data.Block);
        }

        received.ToArray().ShouldBe(content);
        await host.WaitForAsync(Transfers, 1, ("result", "completed"));
        host.Value("anvil_tftp_dropped_total", ("reason", "unexpected_in_transfer")).ShouldBe(3);
    }

    [Fact]
    public async Task Write_request_is_refused_with_an_access_violation()
    {
        await using var host = await TftpServerHost.StartAsync();
        using var client = new RawTftpClient(host.Endpoint);
        await client.SendToServerAsync(Codec.Captures.HpaWrite);

        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.AccessViolation);
        await host.WaitForAsync(Transfers, 1, ("result", "write_refused"));
        host.Files.Requested.ShouldBeEmpty();
    }

    [Fact]
    public async Task Mail_mode_is_refused_as_an_illegal_operation()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.AddRandom("root", 10, seed: 12);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("root", TftpMode.Mail);

        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.IllegalOperation);
    }

    [Fact]
    public async Task Missing_file_is_answered_with_file_not_found()
    {
        await using var host = await TftpServerHost.StartAsync();
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("/pxelinux.cfg/01-52-54-00-aa-bb-cc");

        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.FileNotFound);
        host.Files.Requested.ShouldBe(["pxelinux.cfg/01-52-54-00-aa-bb-cc"]);
        await host.WaitForAsync(Transfers, 1, ("result", "not_found"));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/../etc/passwd")]
    [InlineData("grub/../../../etc/shadow")]
    [InlineData("..\\..\\etc\\passwd")]
    [InlineData("//etc/passwd")]
    public async Task Names_leaving_the_boot_directory_are_refused_before_the_provider_sees_them(string name)
    {
        await using var host = await TftpServerHost.StartAsync();
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync(name);

        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.AccessViolation);
        host.Files.Requested.ShouldBeEmpty();
        await host.WaitForAsync(Transfers, 1, ("result", "access_violation"));
    }

    [Fact]
    public async Task Provider_failure_is_answered_with_an_error_and_counted()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.Failure = new IOException("disk on fire");
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("pxelinux.0");

        TftpError.TryRead(await client.ReceiveAsync(), out var error).ShouldBeTrue();

        error.Code.ShouldBe(TftpErrorCode.NotDefined);
        await host.WaitForAsync(Transfers, 1, ("result", "failed"));
    }

    [Fact]
    public async Task Many_clients_are_served_at_once()
    {
        await using var host = await TftpServerHost.StartAsync();
        var files = Enumerable.Range(0, 40).Select(i => host.Files.AddRandom($"f{i}", 20_000 + i * 97, seed: 100 + i)).ToArray();

        var downloads = await Task.WhenAll(Enumerable.Range(0, files.Length).Select(async i =>
        {
            using var client = new RawTftpClient(host.Endpoint);
            return await client.DownloadAsync($"f{i}", ("blksize", "1468"), ("windowsize", (1 + i % 8).ToString()));
        }));

        for (var i = 0; i < files.Length; i++)
            downloads[i].Content.ShouldBe(files[i]);
        await host.WaitForAsync(Transfers, files.Length, ("result", "completed"));
    }

    [Fact]
    public async Task Requests_beyond_the_transfer_threads_wait_their_turn_and_are_served()
    {
        await using var host = await TftpServerHost.StartAsync(o => o with { MaxConcurrentTransfers = 2 });
        var files = Enumerable.Range(0, 8).Select(i => host.Files.AddRandom($"q{i}", 30_000 + i, seed: 200 + i)).ToArray();

        var downloads = await Task.WhenAll(Enumerable.Range(0, files.Length).Select(async i =>
        {
            using var client = new RawTftpClient(host.Endpoint);
            return await client.DownloadAsync($"q{i}");
        }));

        for (var i = 0; i < files.Length; i++)
            downloads[i].Content.ShouldBe(files[i]);
        await host.WaitForAsync(Transfers, files.Length, ("result", "completed"));
    }

    [Fact]
    public async Task Stop_ends_a_transfer_that_is_waiting_for_an_ack_as_cancelled()
    {
        var host = await TftpServerHost.StartAsync(o => o with { RetransmitTimeout = TimeSpan.FromMinutes(5) });
        host.Files.AddRandom("waiting", 5000, seed: 14);
        using var client = new RawTftpClient(host.Endpoint);
        await client.RequestAsync("waiting");
        (await client.ReceiveDataAsync()).Block.ShouldBe((ushort)1);

        await host.Server.StopAsync(CancellationToken.None);

        host.Value(Transfers, ("result", "cancelled")).ShouldBe(1);
        host.Server.State.ShouldBe(TftpServerState.Off);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Packets_that_are_not_requests_are_dropped_and_counted_by_reason()
    {
        await using var host = await TftpServerHost.StartAsync();
        host.Files.AddRandom("after", 100, seed: 13);
        using var client = new RawTftpClient(host.Endpoint);

        await client.SendToServerAsync(Codec.Captures.CurlAckZero);
        await client.SendToServerAsync(Codec.Captures.TftpdNetasciiData);
        await client.SendToServerAsync([0x00, 0x01, 0x41]);
        await client.SendToServerAsync([0x42]);
        await host.WaitForAsync("anvil_tftp_dropped_total", 2, ("reason", "malformed"));
        await host.WaitForAsync("anvil_tftp_dropped_total", 2, ("reason", "unexpected_opcode"));

        (await client.DownloadAsync("after")).Content.Length.ShouldBe(100);
        host.Value("anvil_tftp_requests_total").ShouldBe(1);
    }

    [Fact]
    public async Task State_is_running_while_started_and_off_after_stop()
    {
        var host = await TftpServerHost.StartAsync();
        host.Server.State.ShouldBe(TftpServerState.Running);

        await host.Server.StopAsync(CancellationToken.None);

        host.Server.State.ShouldBe(TftpServerState.Off);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Server_that_cannot_bind_is_dead_and_says_why()
    {
        await using var first = await TftpServerHost.StartAsync();
        var second = new TftpServer(
            new InMemoryBootFileProvider(), new RackMetrics(), NullLogger<TftpServer>.Instance,
            new TftpServerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, first.Port) });

        await Should.ThrowAsync<SocketException>(() => second.StartAsync(CancellationToken.None));

        second.State.ShouldBe(TftpServerState.Dead);
        second.StatusInfo.ShouldContain(first.Port.ToString());
    }

    [Fact]
    public void Options_that_cannot_work_are_all_reported()
    {
        var error = Should.Throw<ArgumentException>(() => new TftpServerOptions { MaxBlockSize = 4, MaxWindowSize = 0 }.Validate());

        error.Message.ShouldContain("MaxBlockSize");
        error.Message.ShouldContain("MaxWindowSize");
    }
}
