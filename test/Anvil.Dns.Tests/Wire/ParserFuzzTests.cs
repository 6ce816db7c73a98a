using Anvil.Dns.Tests.Support;
using Anvil.Dns.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Wire;

/// <summary>
/// Garbage into the parser: whatever comes in, TryParse returns (true or false) and never throws or
/// hangs. Seeds are fixed so a failure reproduces; a crash found here becomes a regression case below.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 100_000;

    [Fact]
    public void Random_bytes_never_make_the_parser_throw()
    {
        var random = new Random(6_2136);
        var parsedCount = 0;
        for (var i = 0; i < Iterations; i++)
        {
            // Half plain noise, half noise shaped like records so the record decoders get exercised.
            var bytes = random.Next(2) == 0 ? Noise(random) : RandomlyShapedMessage(random);
            if (TryParse(bytes, i))
                parsedCount++;
        }

        // Not an expectation about the parser: it shows the generator reaches past the header checks.
        parsedCount.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Mutated_captures_never_make_the_parser_throw()
    {
        var captures = CaptureFiles.All();
        var random = new Random(8945);
        var parsedCount = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = Mutate(captures[random.Next(captures.Count)], random);
            if (TryParse(bytes, i))
                parsedCount++;
        }

        parsedCount.ShouldBeGreaterThan(Iterations / 100);
    }

    [Theory]
    [InlineData("0000000000010000000000000c616161", "label running past the end")]
    [InlineData("000000000001000000000000c00c00010001", "pointer to itself")]
    [InlineData("000000000001000000000000c00e0000010001", "pointer forward")]
    [InlineData("000000000001000000000000400000010001", "extended label type")]
    [InlineData("00000000ffffffffffffffff", "counts larger than the message")]
    [InlineData("0000000000000001000000000000fa00ff00000000000400000000", "TSIG as an answer")]
    [InlineData("0000000000000001000000000000100001000000000005" + "00", "TXT shorter than its length")]
    [InlineData("000000000000000100000000000001000100000000" + "0005" + "0a000001ff", "A with five bytes")]
    [InlineData("000000000001000000000000000001000100", "bytes after the last record")]
    public void Known_malformed_messages_are_rejected_with_a_reason(string hex, string what)
    {
        DnsMessageParser.TryParse(Convert.FromHexString(hex), out var message, out var error).ShouldBeFalse(what);
        message.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_name_of_256_octets_is_rejected()
    {
        var name = new List<byte>();
        for (var i = 0; i < 4; i++)
        {
            name.Add(63);
            name.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        name.Add(0);
        byte[] message = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. name, 0, 1, 0, 1];

        DnsMessageParser.TryParse(message, out _, out var error).ShouldBeFalse();
        error.ShouldContain("255 octets");
    }

    [Fact]
    public void A_long_but_legal_chain_of_backward_pointers_parses()
    {
        // Question 1: "a." at 12; every next question's name is "a" + pointer to the previous name.
        var bytes = new List<byte> { 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1 };
        var previous = 12;
        for (var i = 1; i < 100; i++)
        {
            var start = bytes.Count;
            bytes.AddRange([1, (byte)'a', (byte)(0xC0 | (previous >> 8)), (byte)previous, 0, 1, 0, 1]);
            previous = start;
        }

        DnsMessageParser.TryParse(bytes.ToArray(), out var message, out var error).ShouldBeTrue(error);
        message!.Questions[^1].Name.ShouldBe(string.Concat(Enumerable.Repeat("a.", 100)));
    }

    private static bool TryParse(byte[] bytes, int iteration)
    {
        try
        {
            return DnsMessageParser.TryParse(bytes, out _, out _);
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"input {iteration} ({Convert.ToHexString(bytes)}) threw {e}");
        }
    }

    private static byte[] Noise(Random random)
    {
        var bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static readonly ushort[] Types = [1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 44, 250, 257, 99];

    private static byte[] RandomlyShapedMessage(Random random)
    {
        var writer = new DnsWireWriter();
        var counts = new[] { random.Next(3), random.Next(4), random.Next(2), random.Next(3) };
        writer.WriteUInt16((ushort)random.Next(65536));
        writer.WriteUInt16((ushort)random.Next(65536));
        foreach (var count in counts)
            writer.WriteUInt16((ushort)count);
        for (var q = 0; q < counts[0]; q++)
        {
            RandomName(writer, random);
            writer.WriteUInt16(Types[random.Next(Types.Length)]);
            writer.WriteUInt16(1);
        }

        for (var r = 0; r < counts[1] + counts[2] + counts[3]; r++)
        {
            RandomName(writer, random);
            writer.WriteUInt16(Types[random.Next(Types.Length)]);
            writer.WriteUInt16((ushort)random.Next(1, 256));
            writer.WriteUInt32((uint)random.Next());
            var rdata = new byte[random.Next(0, 24)];
            random.NextBytes(rdata);
            writer.WriteUInt16((ushort)rdata.Length);
            writer.WriteBytes(rdata);
        }

        return writer.ToArray();
    }

    private static void RandomName(DnsWireWriter writer, Random random)
    {
        for (var labels = random.Next(4); labels > 0; labels--)
        {
            var label = new byte[random.Next(1, 10)];
            random.NextBytes(label);
            writer.WriteByte((byte)label.Length);
            writer.WriteBytes(label);
        }

        if (random.Next(3) == 0 && writer.Length > 12)
            writer.WriteUInt16((ushort)(0xC000 | random.Next(12, writer.Length)));
        else
            writer.WriteByte(0);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    var cut = random.Next(bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 2:
                    var extra = new byte[random.Next(1, 40)];
                    random.NextBytes(extra);
                    bytes.InsertRange(random.Next(bytes.Count + 1), extra);
                    break;
                case 3 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                default:
                    var tail = new byte[random.Next(1, 20)];
                    random.NextBytes(tail);
                    bytes.AddRange(tail);
                    break;
            }
        }

        return [.. bytes];
    }
}
