using Anvil.Rack.Dhcp;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpFuzzTests
{
    /// <summary>
    /// 100,000 datagrams through the whole engine: random bytes, and real captures and built
    /// packets with bytes flipped, cut short or option lengths bent. Nothing may throw; every
    /// datagram is either answered, or dropped and counted, or a RELEASE/DECLINE taken silently.
    /// </summary>
    [Fact]
    public void Random_and_mutated_packets_never_throw_and_every_drop_is_counted()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(), EngineHarness.Subnet("10.5.0.0/24", null, "10.0.0.1", "10.5.0.10", "10.5.0.20") with { SubnetId = 2 }));
        var random = new Random(20261121);
        byte[][] seeds =
        [
            CapturedPackets.Bytes(CapturedPackets.DhclientDiscover),
            CapturedPackets.Bytes(CapturedPackets.DhclientRequest),
            CapturedPackets.Bytes(CapturedPackets.UdhcpcDiscover),
            CapturedPackets.Bytes(CapturedPackets.PerfdhcpRequest),
            new ClientPacket(DhcpMessageType.Request, 5) { ClientAddress = 0x0A000064 }.With(DhcpOptionCode.Overload, 3).ToBytes(),
            new ClientPacket(DhcpMessageType.Inform, 6) { RelayAddress = 0x0A05000A }.With(DhcpOptionCode.RelayAgentInformation, 1, 2, 3, 4).ToBytes(),
            new ClientPacket(DhcpMessageType.Decline, 7).WithAddress(DhcpOptionCode.RequestedAddress, 0x0A000064).ToBytes(),
            new ClientPacket(DhcpMessageType.Release, 8) { ClientAddress = 0x0A000065 }.ToBytes(),
        ];
        var silent = 0;

        for (var i = 0; i < 100_000; i++)
        {
            var datagram = i % 4 == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Length)], random);
            var before = Total(harness);
            var reply = harness.Send(datagram, random.Next(3) == 0 ? "unknown0" : EngineHarness.Interface, out _);
            if (reply is null && Total(harness) == before)
                silent++;
            harness.Time.Advance(TimeSpan.FromMilliseconds(random.Next(200)));
        }

        var dropped = DhcpDropReasons.All.Sum(r => harness.Dropped(DhcpDropReasons.MetricName(r)));
        dropped.ShouldBeGreaterThan(50_000);
        harness.Dropped("internal_error").ShouldBe(0);
        harness.Metrics.Value(DhcpMetrics.RepliesName, ("type", "offer")).ShouldBeGreaterThan(0);
        silent.ShouldBeLessThan(100_000 / 10);
    }

    private static long Total(EngineHarness harness) =>
        DhcpDropReasons.All.Sum(r => harness.Dropped(DhcpDropReasons.MetricName(r)));

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 700)];
        random.NextBytes(bytes);
        if (bytes.Length > 240 && random.Next(2) == 0)
        {
            // Valid enough to reach the option walker.
            bytes[0] = 1;
            bytes[1] = 1;
            bytes[2] = 6;
            "\x63\x82\x53\x63"u8.CopyTo(bytes.AsSpan(236));
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var n = random.Next(1, 8); n > 0; n--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                break;
            case 1:
                bytes = bytes[..random.Next(bytes.Length)];
                break;
            case 2:
                // Bend an option length near the start of the options.
                var at = 240 + random.Next(Math.Max(1, Math.Min(40, bytes.Length - 241)));
                if (at < bytes.Length)
                    bytes[at] = (byte)random.Next(256);
                break;
            default:
                for (var n = random.Next(1, 4); n > 0; n--)
                    bytes[240 + random.Next(Math.Max(1, bytes.Length - 240))] ^= (byte)(1 << random.Next(8));
                break;
        }

        return bytes;
    }
}
