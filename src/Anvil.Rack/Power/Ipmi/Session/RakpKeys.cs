using System.Buffers.Binary;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// The RAKP computations of IPMI 2.0 §13.31-13.32, as pure functions of their inputs. "Console"
/// is the remote console (Anvil, the spec's <c>m</c> side), "BMC" the managed system (<c>c</c>).
/// Session IDs enter the HMACs little-endian, as they are on the wire; the role byte is the whole
/// byte sent in RAKP 1 (privilege plus the name-only lookup bit).
/// </summary>
internal static class RakpKeys
{
    /// <summary>Passwords and K_g are 20-byte keys, zero-padded.</summary>
    public const int KeyLength = 20;

    /// <summary>The length of K1's and K2's constant, whatever the hash.</summary>
    private const int AdditionalKeyConstantLength = 20;

    /// <summary>The auth code the BMC must send in RAKP 2: HMAC<sub>Kuid</sub>(SIDm, SIDc, Rm, Rc, GUIDc, ROLEm, ULENGTHm, UNAMEm).</summary>
    public static byte[] Rakp2AuthCode(CipherSuite suite, ReadOnlySpan<byte> userKey, uint consoleSessionId, uint bmcSessionId,
        ReadOnlySpan<byte> consoleRandom, ReadOnlySpan<byte> bmcRandom, ReadOnlySpan<byte> bmcGuid, byte role, ReadOnlySpan<byte> userName)
    {
        var data = new byte[4 + 4 + 16 + 16 + 16 + 1 + 1 + userName.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, consoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), bmcSessionId);
        consoleRandom.CopyTo(data.AsSpan(8));
        bmcRandom.CopyTo(data.AsSpan(24));
        bmcGuid.CopyTo(data.AsSpan(40));
        data[56] = role;
        data[57] = (byte)userName.Length;
        userName.CopyTo(data.AsSpan(58));
        return suite.Hmac(userKey, data);
    }

    /// <summary>The console's RAKP 3 auth code: HMAC<sub>Kuid</sub>(Rc, SIDm, ROLEm, ULENGTHm, UNAMEm).</summary>
    public static byte[] Rakp3AuthCode(CipherSuite suite, ReadOnlySpan<byte> userKey, ReadOnlySpan<byte> bmcRandom, uint consoleSessionId, byte role, ReadOnlySpan<byte> userName)
    {
        var data = new byte[16 + 4 + 1 + 1 + userName.Length];
        bmcRandom.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), consoleSessionId);
        data[20] = role;
        data[21] = (byte)userName.Length;
        userName.CopyTo(data.AsSpan(22));
        return suite.Hmac(userKey, data);
    }

    /// <summary>The session integrity key: HMAC<sub>Kg</sub>(Rm, Rc, ROLEm, ULENGTHm, UNAMEm).</summary>
    public static byte[] SessionIntegrityKey(CipherSuite suite, ReadOnlySpan<byte> bmcKey, ReadOnlySpan<byte> consoleRandom, ReadOnlySpan<byte> bmcRandom, byte role, ReadOnlySpan<byte> userName)
    {
        var data = new byte[16 + 16 + 1 + 1 + userName.Length];
        consoleRandom.CopyTo(data);
        bmcRandom.CopyTo(data.AsSpan(16));
        data[32] = role;
        data[33] = (byte)userName.Length;
        userName.CopyTo(data.AsSpan(34));
        return suite.Hmac(bmcKey, data);
    }

    /// <summary>The check value the BMC must send in RAKP 4: HMAC<sub>SIK</sub>(Rm, SIDc, GUIDc), truncated.</summary>
    public static byte[] Rakp4IntegrityCheck(CipherSuite suite, ReadOnlySpan<byte> sik, ReadOnlySpan<byte> consoleRandom, uint bmcSessionId, ReadOnlySpan<byte> bmcGuid)
    {
        var data = new byte[16 + 4 + 16];
        consoleRandom.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), bmcSessionId);
        bmcGuid.CopyTo(data.AsSpan(20));
        return suite.Hmac(sik, data)[..suite.Rakp4Length];
    }

    /// <summary>
    /// K<sub>n</sub> = HMAC<sub>SIK</sub>(the byte n repeated 20 times): K1 signs, K2 encrypts. The
    /// constant stays 20 bytes for SHA-256 suites too (IPMI 2.0 §13.32 defines it so; ipmitool and
    /// BMCs use 20): a hash-length constant would make every suite-17 session fail its first message.
    /// </summary>
    public static byte[] AdditionalKey(CipherSuite suite, ReadOnlySpan<byte> sik, byte n)
    {
        var constant = new byte[AdditionalKeyConstantLength];
        constant.AsSpan().Fill(n);
        return suite.Hmac(sik, constant);
    }

    /// <summary>A password or K_g as the 20-byte key the RAKP HMACs use.</summary>
    public static byte[] Key(ReadOnlySpan<byte> secret)
    {
        var key = new byte[KeyLength];
        secret[..Math.Min(secret.Length, KeyLength)].CopyTo(key);
        return key;
    }
}
