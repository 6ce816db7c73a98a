namespace Anvil.Dns.Bind;

/// <summary>Whose named serves Anvil's zones.</summary>
public enum NamedMode
{
    /// <summary>Anvil starts its own named on a private configuration (<c>named.conf</c> in <see cref="NamedOptions.Directory"/>).</summary>
    Embedded,

    /// <summary>
    /// The operator's named (e.g. Debian's bind9) includes Anvil's fragments; Anvil only writes them
    /// and drives that named through rndc. See <see cref="NamedConfigWriter"/> for the include lines.
    /// </summary>
    System,
}
