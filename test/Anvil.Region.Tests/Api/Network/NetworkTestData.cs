using System.Text.Json;
using Anvil.Region.Tests.Support;
using Dapper;

namespace Anvil.Region.Tests.Api.Network;

/// <summary>A /24 no other test in the process uses: <c>Cidr</c> is <c>10.a.b.0/24</c>, <c>At(n)</c> is <c>10.a.b.n</c>.</summary>
public sealed record TestNet(string Prefix)
{
    private static int _next = Random.Shared.Next(0, 1000);

    public string Cidr => $"{Prefix}0/24";

    public static TestNet Next()
    {
        var n = Interlocked.Increment(ref _next) % 65_000;
        return new TestNet($"10.{n / 250}.{n % 250}.");
    }

    public string At(int host) => $"{Prefix}{host}";
}

/// <summary>Network objects made through the API (as an admin) or, where the API has no way yet, with SQL.</summary>
public static class NetworkTestData
{
    public static async Task<JsonElement> CreateSubnetAsync(this TestUser admin, TestNet net, params (string Key, string Value)[] extra) =>
        await (await admin.Client.PostAsync("subnets/", [("cidr", net.Cidr), .. extra])).ShouldBeJsonAsync();

    public static async Task<JsonElement> CreateFabricAsync(this TestUser admin, params (string Key, string Value)[] form) =>
        await (await admin.Client.PostAsync("fabrics/", form)).ShouldBeJsonAsync();

    public static async Task<JsonElement> CreateRangeAsync(this TestUser user, long subnetId, string type, string start, string end) =>
        await (await user.Client.PostAsync("ipranges/", ("type", type), ("subnet", $"{subnetId}"), ("start_ip", start), ("end_ip", end))).ShouldBeJsonAsync();

    public static long Id(this JsonElement json) => json.GetProperty("id").GetInt64();

    public static string Str(this JsonElement json, string property) => json.GetProperty(property).GetString()!;

    /// <summary>An address row in the subnet, optionally owned and linked to a new interface of a node.</summary>
    public static Task<long> InsertAddressAsync(this RegionTestHost host, long subnetId, string ip, int allocType = 1, long? userId = null, TestNode? node = null) =>
        host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO staticipaddress (ip, alloc_type, subnet_id, user_id) VALUES (@ip::inet, @allocType, @subnetId, @userId) RETURNING id",
                    new { ip, allocType, subnetId, userId },
                    tx));
                if (node is not null)
                {
                    var interfaceId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "INSERT INTO interface (node_id, name) VALUES (@nodeId, 'eth0') RETURNING id", new { nodeId = node.Id }, tx));
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO interface_ip (interface_id, staticipaddress_id) VALUES (@interfaceId, @id)", new { interfaceId, id }, tx));
                }

                return id;
            },
            CancellationToken.None);

    public static Task<long> CountAsync(this RegionTestHost host, string sql, object? parameters = null) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters)), CancellationToken.None);
}
