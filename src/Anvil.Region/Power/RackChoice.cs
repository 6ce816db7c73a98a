using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Anvil.Region.Power;

/// <summary>
/// Which rack drives a BMC. Each BMC has a preferred rack among the candidates (rendezvous hashing:
/// the highest hash of BMC and rack), so a pass's queries divide evenly over the racks and a BMC
/// keeps its rack while racks come and go; a preferred rack that is at its limit yields to the
/// least busy candidate with room.
/// </summary>
internal static class RackChoice
{
    public static string Pick(string bmc, IReadOnlyList<string> candidates, Func<string, int> inFlight, int limit)
    {
        var preferred = candidates.MaxBy(rack => Score(bmc, rack))!;
        if (inFlight(preferred) < limit)
            return preferred;
        var idlest = candidates.MinBy(inFlight)!;
        return inFlight(idlest) < limit ? idlest : preferred;
    }

    private static ulong Score(string bmc, string rack) => BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{bmc}\n{rack}")));
}
