using Anvil.Rack.Tests.Tftp.Support;
using Anvil.Rack.Tftp;
using Anvil.Rack.Tftp.Codec;
using Anvil.Rack.Tftp.Transfer;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp.Codec;

public sealed class TftpCodecFuzzTests
{
    [Fact]
    public void Hundred_thousand_random_and_mutated_packets_never_throw_and_requests_stay_sane()
    {
        var server = new TftpServerOptions { MaxWindowSize = 32 };
        var requests = 0;
        var rejected = 0;
        foreach (var packet in FuzzPackets.Generate(seed: 20240611, count: 100_000))
        {
            TftpAck.TryRead(packet, out _);
            TftpData.TryRead(packet, out _, out _);
            TftpError.TryRead(packet, out _);
            TftpOptionAck.TryRead(packet, out _);
            if (!TftpRequest.TryRead(packet, out var request))
            {
                rejected++;
                continue;
            }

            requests++;
            ShouldSurviveRoundTrip(request!);
            var negotiation = TftpNegotiation.Negotiate(request!, fileLength: packet.Length, server);
            negotiation.BlockSize.ShouldBeInRange(8, 65464);
            negotiation.WindowSize.ShouldBeInRange(1, 32);
            negotiation.Timeout.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(255));
            if (TftpPath.TryNormalise(request!.Filename, out var path))
            {
                path.ShouldNotStartWith("/");
                path.Split('/').ShouldNotContain("..");
                path.ShouldNotContain('\0');
                path.ShouldNotContain('\\');
            }
        }

        // The generator must reach both sides, or the test proves little.
        requests.ShouldBeGreaterThan(3_000);
        rejected.ShouldBeGreaterThan(5_000);
    }

    private static void ShouldSurviveRoundTrip(TftpRequest request)
    {
        var written = new byte[request.Size];
        request.Write(written).ShouldBe(written.Length);
        TftpRequest.TryRead(written, out var again).ShouldBeTrue();
        again!.Opcode.ShouldBe(request.Opcode);
        again.Filename.ShouldBe(request.Filename);
        again.Mode.ShouldBe(request.Mode);
        again.Options.ShouldBe(request.Options);
    }
}
