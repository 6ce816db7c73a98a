using System.Buffers.Binary;
using System.Text;
using Anvil.Rack.Tests.Tftp.Codec;

namespace Anvil.Rack.Tests.Tftp.Support;

/// <summary>
/// Packets for fuzzing, from a seed: pure noise, captured packets with bits flipped, bytes cut or
/// added, and packets built from TFTP's pieces (opcodes, NUL-separated strings, option names with
/// odd values) so the parsers and the option negotiation are reached, not just the first check.
/// </summary>
internal static class FuzzPackets
{
    private static readonly string[] OptionNames = ["blksize", "BLKSIZE", "tsize", "timeout", "windowsize", "WindowSize", "multicast", "", "rollover"];
    private static readonly string[] OptionValues = ["0", "1", "7", "8", "512", "1468", "65464", "65465", "65535", "255", "256", "-1", "", "x", "99999999999999999999", " 1", "1 "];
    private static readonly string[] Names = ["pxelinux.0", "/pxelinux.0", "../../etc/passwd", "/../etc/passwd", "a\\..\\b", "grub/grub.cfg", "//x", ".", "\u00ff\u00fe", "pxelinux.cfg/01-aa"];
    private static readonly string[] Modes = ["octet", "NETASCII", "mail", "binary", ""];

    public static IEnumerable<byte[]> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var captures = Captures.All.ToArray();
        for (var i = 0; i < count; i++)
        {
            yield return (i % 10) switch
            {
                < 3 => Noise(random),
                < 8 => Mutate(random, captures[random.Next(captures.Length)]),
                _ => Built(random),
            };
        }
    }

    private static byte[] Noise(Random random)
    {
        var packet = new byte[random.Next(0, 600)];
        random.NextBytes(packet);
        // Half of the noise starts with a real opcode so it gets past the first check.
        if (packet.Length >= 2 && random.Next(2) == 0)
            BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)random.Next(0, 8));
        return packet;
    }

    private static byte[] Mutate(Random random, byte[] capture)
    {
        var packet = new List<byte>(capture);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(6))
            {
                case 0 when packet.Count > 0:
                    var at = random.Next(packet.Count);
                    packet[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when packet.Count > 0:
                    packet.RemoveRange(random.Next(packet.Count), 1);
                    break;
                case 2:
                    packet.Insert(random.Next(packet.Count + 1), random.Next(3) == 0 ? (byte)0 : (byte)random.Next(256));
                    break;
                case 3 when packet.Count > 0:
                    var keep = random.Next(packet.Count);
                    packet.RemoveRange(keep, packet.Count - keep);
                    break;
                case 4:
                    var extra = new byte[random.Next(1, 64)];
                    random.NextBytes(extra);
                    packet.AddRange(extra);
                    break;
                default:
                    if (packet.Count > 0)
                        packet[random.Next(packet.Count)] = 0;
                    break;
            }
        }

        return [.. packet];
    }

    private static byte[] Built(Random random)
    {
        var text = new StringBuilder();
        text.Append(Names[random.Next(Names.Length)]).Append('\0');
        text.Append(Modes[random.Next(Modes.Length)]).Append('\0');
        var options = random.Next(0, 6);
        for (var o = 0; o < options; o++)
            text.Append(OptionNames[random.Next(OptionNames.Length)]).Append('\0').Append(OptionValues[random.Next(OptionValues.Length)]).Append('\0');
        var body = Encoding.Latin1.GetBytes(text.ToString());
        if (random.Next(4) == 0)
            body = body[..random.Next(body.Length + 1)];
        var packet = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)random.Next(1, 7));
        body.CopyTo(packet, 2);
        return packet;
    }
}
