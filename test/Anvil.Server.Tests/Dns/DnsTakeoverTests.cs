using System.Diagnostics;
using Anvil.Server.Support;
using Anvil.Testing.Dns;
using Anvil.Testing.Postgres;
using Dapper;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Dns;

/// <summary>
/// Two regions on one database, each with its own named. The one holding the DNS lock publishes to
/// both; it is killed (SIGKILL) while names are being written, and the other region must take the
/// lock, read every zone back and bring both servers to what the database says.
/// </summary>
public sealed class DnsTakeoverTests(ITestOutputHelper output)
{
    private const string Leading = "holds the DNS lock";

    [Fact]
    public async Task When_the_publishing_region_is_killed_mid_stream_the_other_takes_over_and_every_zone_converges()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var first = await AnvildProcess.StartAsync(role: "region", database: database.ConnectionString);
        await WaitForOutputAsync(first, Leading);
        await using var second = await AnvildProcess.StartAsync(role: "region", database: database.ConnectionString);
        await using var c = await database.DataSource.OpenConnectionAsync();
        await WaitUntilAsync(async () => await c.ExecuteScalarAsync<long>("SELECT count(*) FROM dns_server") == 2, "both named servers registered");

        var third = Random.Shared.Next(1, 250);
        var subnetId = await c.ExecuteScalarAsync<long>(
            "INSERT INTO subnet (name, vlan_id, cidr) VALUES (@cidr, 5001, @cidr::cidr) RETURNING id", new { cidr = $"10.78.{third}.0/24" });

        // 40 transactions of 5 names each (200 names on 200 addresses), one every 25 ms, and every
        // fourth transaction also deletes a name made earlier. The leader dies half way.
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < 40; batch++)
        {
            await using var tx = await c.BeginTransactionAsync();
            for (var i = 0; i < 5; i++)
            {
                var n = (batch * 5) + i;
                await c.ExecuteAsync(
                    """
                    WITH a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) VALUES (@ip::inet, 4, @subnetId) RETURNING id),
                    r AS (INSERT INTO dnsresource (name, domain_id) VALUES (@name, 0) RETURNING id)
                    INSERT INTO dnsresource_ip (dnsresource_id, staticipaddress_id) SELECT r.id, a.id FROM r, a
                    """,
                    new { ip = $"10.78.{third}.{n + 10}", subnetId, name = $"stream-{n}" },
                    tx);
            }

            if (batch % 4 == 3)
                await c.ExecuteAsync("DELETE FROM dnsresource WHERE name = @name", new { name = $"stream-{batch * 5 / 2}" }, tx);
            await tx.CommitAsync();
            if (batch == 20)
            {
                first.Kill();
                output.WriteLine($"killed the publishing region after {clock.ElapsedMilliseconds} ms of writes");
            }

            await Task.Delay(25);
        }

        await WaitForOutputAsync(second, Leading);
        var key = "hmac-sha512:anvil:" + await c.ExecuteScalarAsync<string>("SELECT value #>> '{}' FROM config WHERE name = 'dns_tsig_secret'");
        var expected = (await c.QueryAsync<string>(
            """
            SELECT r.name || '.maas. ' || host(a.ip) FROM dnsresource r JOIN dnsresource_ip x ON x.dnsresource_id = r.id
            JOIN staticipaddress a ON a.id = x.staticipaddress_id WHERE r.name LIKE 'stream-%'
            """)).Order(StringComparer.Ordinal).ToList();
        expected.Count.ShouldBe(200 - 10);

        foreach (var (name, port) in new[] { ("surviving", second.DnsPort), ("killed region's", first.DnsPort) })
        {
            var took = await Dig.WaitForAsync(
                async () => Streamed(await Dig.TransferAsync(port, "maas", key)),
                records => records.SequenceEqual(expected),
                $"the {name} named's maas zone to match the database",
                TimeSpan.FromSeconds(60));
            output.WriteLine($"{name} named converged {took.TotalMilliseconds:F0} ms after the takeover was seen");
            var ptrs = await Dig.ReverseAsync(port, $"10.78.{third}.{10 + 8}");
            ptrs.ShouldBe(["stream-8.maas."]);
        }
    }

    /// <summary>The stream's A records from a transfer, as "name address", sorted.</summary>
    private static List<string> Streamed(IReadOnlyList<string> transfer) =>
        [.. transfer.Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5 && f[0].StartsWith("stream-", StringComparison.Ordinal) && f[3] == "A")
            .Select(f => $"{f[0]} {f[4]}")
            .Order(StringComparer.Ordinal)];

    private static Task WaitForOutputAsync(AnvildProcess anvild, string text) =>
        WaitUntilAsync(() => Task.FromResult(anvild.Output.Contains(text, StringComparison.Ordinal)), $"'{text}' in anvild's output:\n{anvild.Output}");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
