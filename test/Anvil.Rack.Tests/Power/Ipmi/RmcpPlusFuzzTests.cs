using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Session;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Power.Ipmi;

/// <summary>100,000 random and mutated datagrams through every reader of the receive path: none may throw.</summary>
public sealed class RmcpPlusFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        Convert.FromHexString("0600ff0700000000000000000010811c6320003800019704030000000009"),
        Convert.FromHexString("0600ff0706110000000000000000240000000000a4a3a2a002000000000000080100000001000008010000000200000801000000"),
        Convert.FromHexString("0600ff07061300000000000000003c0000000000a4a3a2a083c5def4bd4d1d03b176c8aabe8700dfa123456789abcdefa123456789abcdefdc2065790ca28747ffc6658f3f798b65425af924"),
        Convert.FromHexString("0600ff0706150000000000000000140000000000a4a3a2a010cfeef0cad2e54ce087050f"),
        Convert.FromHexString("0600ff0706c0a4a3a2a00100000020007b8b4cf52751a085b12556b5ce8403e1086661db6ee21e5e874d4d495edc5f6cffff020796a6467465a153a959c990aa"),
    ];

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_out_of_the_readers()
    {
        var random = new Random(20240623);
        using var sha1Keys = new SessionKeys(CipherSuite.Suite3, new byte[20], new byte[20]);
        using var sha256Keys = new SessionKeys(CipherSuite.Suite17, new byte[32], new byte[32]);
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var datagram = i % 2 == 0 ? RandomDatagram(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            if (i % 10 == 0)
                datagram = Reseal(random, datagram, i % 20 == 0 ? sha1Keys : sha256Keys);

            if (RmcpPlusPacket.TryDecode(datagram, null, out var clear))
            {
                accepted++;
                Read(clear.Payload);
            }

            if (RmcpPlusPacket.TryDecode(datagram, sha1Keys, out var signed1))
                Read(signed1.Payload);
            if (RmcpPlusPacket.TryDecode(datagram, sha256Keys, out var signed256))
                Read(signed256.Payload);
            if (Ipmi15Packet.TryDecode(datagram, out var old))
                IpmiMessage.TryReadResponse(old.Message, out _);
            Read(datagram);
        }

        accepted.ShouldBeGreaterThan(0);
    }

    private static void Read(byte[] payload)
    {
        IpmiMessage.TryReadResponse(payload, out _);
        OpenSessionResponse.TryRead(payload, out _);
        Rakp2.TryRead(payload, out _);
        Rakp4.TryRead(payload, out _);
    }

    private static byte[] RandomDatagram(Random random)
    {
        var datagram = new byte[random.Next(0, 200)];
        random.NextBytes(datagram);
        if (datagram.Length >= 5 && random.Next(2) == 0)
        {
            // a valid RMCP header and RMCP+ auth type, so the random part reaches the deeper parsers
            datagram[0] = 0x06;
            datagram[3] = 0x07;
            datagram[4] = 0x06;
        }

        return datagram;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var datagram = seed.ToArray();
        switch (random.Next(4))
        {
            case 0:
                for (var n = random.Next(1, 6); n > 0; n--)
                    datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                return datagram;
            case 1:
                return datagram[..random.Next(datagram.Length)];
            case 2:
                var longer = new byte[datagram.Length + random.Next(1, 40)];
                datagram.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(datagram.Length));
                return longer;
            default:
                // the payload length field, which bounds everything after it
                if (datagram.Length > 15)
                {
                    datagram[14] = (byte)random.Next(256);
                    datagram[15] = (byte)random.Next(256);
                }

                return datagram;
        }
    }

    /// <summary>Wraps random bytes as a properly signed encrypted packet, so the decrypt and padding checks see hostile plaintext too.</summary>
    private static byte[] Reseal(Random random, byte[] content, SessionKeys keys)
    {
        var packet = RmcpPlusPacket.Encode(RmcpPlusPayloadType.IpmiMessage, 1, 1, content.Length > 300 ? content[..300] : content, keys);
        if (random.Next(2) == 0)
            packet[random.Next(packet.Length)] ^= (byte)random.Next(1, 256);
        return packet;
    }
}
