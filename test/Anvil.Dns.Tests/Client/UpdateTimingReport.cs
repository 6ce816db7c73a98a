using System.Diagnostics;
using System.Globalization;
using System.Text;
using Anvil.Dns.Client;
using Anvil.Dns.Tests.Support;
using Anvil.Dns.Wire;
using Anvil.Testing.Network;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Dns.Tests.Client;

/// <summary>
/// Prints how long UpdateAsync and <c>nsupdate -y</c> take for the same batches against the same
/// named (figures for the benchmarks page, not assertions); asserts only that both batches landed.
/// </summary>
public sealed class UpdateTimingReport(ITestOutputHelper output)
{
    [Fact]
    public async Task UpdateAsync_and_nsupdate_push_the_same_batches_and_both_land()
    {
        await using var named = await TestNamed.StartAsync(TestRecords.NewKey(), "maas");
        var client = new DnsUpdateClient(named.EndPoint, named.Key, TimeSpan.FromSeconds(30));
        var expected = new List<DnsRecord>();
        var report = new StringBuilder("records  UpdateAsync ms (3 runs)   nsupdate -y ms (3 runs)\n");

        foreach (var count in new[] { 1, 100, 1000 })
        {
            var ours = new List<double>();
            var theirs = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var mine = TestRecords.ARecords("maas", $"u{count}r{run}-", count);
                var nsupdates = TestRecords.ARecords("maas", $"n{count}r{run}-", count);
                expected.AddRange(mine);
                expected.AddRange(nsupdates);

                var clock = Stopwatch.StartNew();
                await client.UpdateAsync("maas", TestRecords.Adds(mine), CancellationToken.None);
                ours.Add(clock.Elapsed.TotalMilliseconds);

                var script = Path.Combine(named.Directory, $"batch-{count}-{run}.txt");
                await File.WriteAllTextAsync(script, NsupdateScript(named.Port, nsupdates));
                clock.Restart();
                var result = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(60), "nsupdate", "-y", named.KeyArgument, script);
                theirs.Add(clock.Elapsed.TotalMilliseconds);
                result.ExitCode.ShouldBe(0, result.Error);
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"{count,7}  {Format(ours),-26} {Format(theirs)}");
        }

        output.WriteLine(report.ToString());
        expected.Select(TestRecords.Line).Except(await named.DigTransferAsync("maas")).ShouldBeEmpty();
    }

    private static string Format(List<double> milliseconds) => string.Join(" / ", milliseconds.Select(m => m.ToString("0.0", CultureInfo.InvariantCulture)));

    private static string NsupdateScript(int port, IEnumerable<DnsRecord> records)
    {
        var script = new StringBuilder().Append(CultureInfo.InvariantCulture, $"server 127.0.0.1 {port}\nzone maas\n");
        foreach (var record in records)
            script.Append(CultureInfo.InvariantCulture, $"update add {record.Name}. {record.Ttl} A {record.Data}\n");
        return script.Append("send\n").ToString();
    }
}
