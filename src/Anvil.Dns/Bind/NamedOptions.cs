using System.Net;
using Anvil.Dns.Tsig;

namespace Anvil.Dns.Bind;

/// <summary>How Anvil's named is configured and where its files live.</summary>
public sealed record NamedOptions
{
    /// <summary>Configuration, keys, zone files and journals live here (an absolute path).</summary>
    public required string Directory { get; init; }

    /// <summary>Where the embedded named answers queries (e.g. <c>127.0.0.1:5353</c>); IPv4 and IPv6 endpoints. Unused by a system named.</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>rndc's port on 127.0.0.1 (MAAS uses 954, so it does not clash with a system named's 953).</summary>
    public required int ControlPort { get; init; }

    /// <summary>The key that may update the zones and transfer them.</summary>
    public required TsigKey UpdateKey { get; init; }

    /// <summary>The key rndc uses on the control channel; its name must differ from <see cref="UpdateKey"/>'s.</summary>
    public required TsigKey RndcKey { get; init; }

    /// <summary>Upstream resolvers for names Anvil is not authoritative for (MAAS <c>upstream_dns</c>).</summary>
    public IReadOnlyList<IPAddress> Forwarders { get; init; } = [];

    /// <summary>MAAS <c>dnssec_validation</c>: <c>auto</c>, <c>yes</c> or <c>no</c>. Applies only when named recurses.</summary>
    public string DnssecValidation { get; init; } = "auto";

    /// <summary>MAAS <c>dns_trusted_acl</c>: addresses or CIDRs allowed to recurse, besides localhost and the local networks.</summary>
    public IReadOnlyList<string> TrustedAcl { get; init; } = [];

    /// <summary>The named binary; <c>/usr/sbin/named</c> when unset.</summary>
    public string? NamedPath { get; init; }

    /// <summary>The rndc binary; <c>rndc</c> on the PATH when unset.</summary>
    public string? RndcPath { get; init; }

    public NamedMode Mode { get; init; } = NamedMode.Embedded;

    /// <summary>How long <see cref="NamedServer.StartAsync"/> waits for named to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
