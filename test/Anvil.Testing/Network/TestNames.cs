using System.Security.Cryptography;

namespace Anvil.Testing.Network;

/// <summary>Unique names and address blocks for the interfaces and namespaces of one test run.</summary>
public static class TestNames
{
    private static readonly int SecondOctet = RandomNumberGenerator.GetInt32(160, 224);
    private static int nextBlock = -1;

    /// <summary>Six random hex digits; with a short prefix an interface name stays within 15 characters.</summary>
    public static string Suffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>
    /// A /20 of 10.0.0.0/8 that no other test of this process uses: 10.&lt;random per run&gt;.&lt;16·n&gt;.0/20.
    /// Returned as its first three octets' base and prefix, e.g. ("10.171.32", 20).
    /// </summary>
    public static TestSubnet NextSubnet()
    {
        var block = Interlocked.Increment(ref nextBlock) % 16;
        return new TestSubnet(10, SecondOctet, block * 16);
    }
}

/// <summary>A test's /20: <c>10.b.c.0/20</c>; <see cref="Host"/> names an address inside it.</summary>
public sealed record TestSubnet(int First, int Second, int Third)
{
    public const int PrefixLength = 20;

    public string Cidr => $"{First}.{Second}.{Third}.0/{PrefixLength}";

    /// <summary>The address <paramref name="offset"/> into the block (1 is the first host).</summary>
    public string Host(int offset) => $"{First}.{Second}.{Third + (offset / 256)}.{offset % 256}";

    public string HostWithPrefix(int offset) => $"{Host(offset)}/{PrefixLength}";
}
