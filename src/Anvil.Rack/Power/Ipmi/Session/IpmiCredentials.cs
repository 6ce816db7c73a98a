using System.Text;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>Who Anvil is to the BMC: user name (≤ 16 bytes), password and K_g (≤ 20 bytes each), privilege and cipher suite.</summary>
internal sealed record IpmiCredentials(byte[] UserName, byte[] Password, byte[] BmcKey, IpmiPrivilege Privilege, CipherSuite Suite)
{
    /// <summary>
    /// Reads <c>power_user</c>, <c>power_pass</c>, <c>k_g</c>, <c>privilege_level</c> and <c>cipher_suite_id</c>.
    /// An empty K_g means the password (IPMI 2.0 §13.31); a K_g written as <c>0x…</c> is hex, as freeipmi reads it.
    /// </summary>
    public static IpmiCredentials From(PowerParameters parameters)
    {
        var user = Encoding.UTF8.GetBytes(parameters.Get("power_user"));
        if (user.Length > 16)
            throw new PowerException(PowerErrorKind.InvalidParameters, "power_user is longer than IPMI's 16 bytes.");
        var password = Encoding.UTF8.GetBytes(parameters.Get("power_pass"));
        if (password.Length > RakpKeys.KeyLength)
            throw new PowerException(PowerErrorKind.InvalidParameters, "power_pass is longer than IPMI 2.0's 20 bytes.");
        var kg = ParseKg(parameters.Get("k_g")) ?? password;
        if (kg.Length > RakpKeys.KeyLength)
            throw new PowerException(PowerErrorKind.InvalidParameters, "k_g is longer than IPMI 2.0's 20 bytes.");
        var privilege = parameters.Get("privilege_level").ToUpperInvariant() switch
        {
            "USER" => IpmiPrivilege.User,
            "OPERATOR" => IpmiPrivilege.Operator,
            "ADMIN" => IpmiPrivilege.Administrator,
            var other => throw new PowerException(PowerErrorKind.InvalidParameters, $"privilege_level '{other}' is not USER, OPERATOR or ADMIN."),
        };
        var suiteId = parameters.Get("cipher_suite_id");
        var suite = CipherSuite.FromId(suiteId)
            ?? throw new PowerException(PowerErrorKind.NotSupported, $"cipher_suite_id '{suiteId}' is not supported; Anvil speaks cipher suites 3 and 17.");
        return new IpmiCredentials(user, password, kg, privilege, suite);
    }

    private static byte[]? ParseKg(string value)
    {
        if (value.Length == 0)
            return null;
        if (!value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return Encoding.UTF8.GetBytes(value);
        try
        {
            return Convert.FromHexString(value.AsSpan(2));
        }
        catch (FormatException)
        {
            throw new PowerException(PowerErrorKind.InvalidParameters, "k_g starts with 0x but is not hexadecimal.");
        }
    }
}
