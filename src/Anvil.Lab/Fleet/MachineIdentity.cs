using System.Security.Cryptography;

namespace Anvil.Lab.Fleet;

/// <summary>
/// Everything that makes one simulated machine distinct: two NICs (the first boots), DMI serials,
/// disk serials, its UUID and its BMC's credentials.
/// </summary>
internal sealed record MachineIdentity(int Index, byte[] BootMac, byte[] SecondMac, Guid Uuid, string BmcUser, string BmcPassword)
{
    public string BootMacText => MacText(BootMac);

    public string SecondMacText => MacText(SecondMac);

    public string Serial => $"SIM-{Uuid.ToString("N")[..8].ToUpperInvariant()}-{Index:D5}";

    /// <summary>
    /// Machine <paramref name="index"/> of a fleet whose MACs start with <paramref name="prefix"/> (two
    /// bytes, random per run, so two fleets never collide): 52:54:p0:p1:hi:lo, the low bit telling the NICs apart.
    /// </summary>
    public static MachineIdentity Create(int index, ReadOnlySpan<byte> prefix)
    {
        if (index is < 0 or >= 1 << 15)
            throw new ArgumentOutOfRangeException(nameof(index), "A fleet has at most 32768 machines.");
        byte p0 = prefix[0], p1 = prefix[1];
        byte[] Mac(int nic) => [0x52, 0x54, p0, p1, (byte)(index >> 7), (byte)(((index & 0x7F) << 1) | nic)];
        return new MachineIdentity(index, Mac(0), Mac(1), Guid.NewGuid(), "admin", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
    }

    public static string MacText(ReadOnlySpan<byte> mac) => string.Join(':', mac.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
