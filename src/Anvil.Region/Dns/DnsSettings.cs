using System.Net;
using Anvil.Data.Config;
using Npgsql;

namespace Anvil.Region.Dns;

/// <summary>The MAAS settings that shape named's options: <c>upstream_dns</c>, <c>dnssec_validation</c>, <c>dns_trusted_acl</c>.</summary>
internal sealed record DnsSettings(IReadOnlyList<IPAddress> Forwarders, string DnssecValidation, IReadOnlyList<string> TrustedAcl)
{
    private static readonly char[] Separators = [' ', ',', ';', '\t', '\n'];

    public static async Task<DnsSettings> ReadAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var upstream = (await ConfigStore.GetAsync(c, null, "upstream_dns", ct))?.GetValue<string>();
        var dnssec = (await ConfigStore.GetAsync(c, null, "dnssec_validation", ct))?.GetValue<string>() ?? "auto";
        var acl = (await ConfigStore.GetAsync(c, null, "dns_trusted_acl", ct))?.GetValue<string>();
        return new DnsSettings(
            [.. Split(upstream).Select(s => IPAddress.TryParse(s, out var a) ? a : null).OfType<IPAddress>()],
            dnssec,
            [.. Split(acl).Where(IsAclEntry)]);
    }

    private static string[] Split(string? value) =>
        value?.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    // Only addresses and CIDRs reach named's configuration; anything else would break it.
    private static bool IsAclEntry(string entry) => IPAddress.TryParse(entry, out _) || IPNetwork.TryParse(entry, out _);
}
