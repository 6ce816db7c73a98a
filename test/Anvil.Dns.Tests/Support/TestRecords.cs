using System.Globalization;
using Anvil.Dns.Client;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Tests.Support;

internal static class TestRecords
{
    public static TsigKey NewKey(TsigAlgorithm algorithm = TsigAlgorithm.HmacSha512) => TsigKey.Generate("anvil-test", algorithm);

    /// <summary><paramref name="count"/> A records <c>{prefix}00000.{zone}</c> … with distinct addresses in 10/8.</summary>
    public static List<DnsRecord> ARecords(string zone, string prefix, int count) =>
        Enumerable.Range(0, count)
            .Select(i => DnsRecord.Create(
                string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:D5}.{zone}"), DnsType.A, 60, string.Create(CultureInfo.InvariantCulture, $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}")))
            .ToList();

    public static List<DnsUpdate> Adds(IEnumerable<DnsRecord> records) => records.Select(DnsUpdate.Add).ToList();

    /// <summary>The one-line form dig prints a record in (see <see cref="DigOutput.Records"/>).</summary>
    public static string Line(DnsRecord record) => $"{record.Name}. {record.Ttl} IN {DnsTypes.ToMnemonic(record.Type)} {record.Data}";
}
