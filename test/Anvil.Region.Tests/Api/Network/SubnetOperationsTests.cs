using System.Text.Json;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

/// <summary>
/// The subnet's address ops against a hand-worked /24: gateway .1, reserved .10-.19, address .50
/// in use, dynamic .100-.199. In use: 1 + 10 + 1 + 100 = 112 of the 254 usable addresses; free:
/// .2-.9 (8), .20-.49 (30), .51-.99 (49), .200-.254 (55) = 142.
/// </summary>
public sealed class SubnetOperationsTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Reserved_ip_ranges_lists_each_use_with_its_purpose()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();

        var ranges = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "reserved_ip_ranges")).ShouldBeJsonAsync();

        Rows(ranges, withPurpose: true).ShouldBe(
        [
            $"{net.At(1)}-{net.At(1)}:1:gateway-ip",
            $"{net.At(10)}-{net.At(19)}:10:reserved",
            $"{net.At(50)}-{net.At(50)}:1:assigned-ip",
            $"{net.At(100)}-{net.At(199)}:100:dynamic",
        ]);
    }

    [Fact]
    public async Task Unreserved_ip_ranges_lists_the_free_runs_without_purposes()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();

        var ranges = await (await admin.Client.GetOpAsync($"subnets/{net.Cidr}/", "unreserved_ip_ranges")).ShouldBeJsonAsync();

        Rows(ranges, withPurpose: false).ShouldBe(
        [
            $"{net.At(2)}-{net.At(9)}:8",
            $"{net.At(20)}-{net.At(49)}:30",
            $"{net.At(51)}-{net.At(99)}:49",
            $"{net.At(200)}-{net.At(254)}:55",
        ]);
        ranges.EnumerateArray().Count(r => r.TryGetProperty("purpose", out _)).ShouldBe(0);
        subnet.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Statistics_count_the_usable_addresses()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();

        var stats = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "statistics")).ShouldBeJsonAsync();

        stats.GetProperty("num_available").GetInt64().ShouldBe(142);
        stats.GetProperty("largest_available").GetInt64().ShouldBe(55);
        stats.GetProperty("num_unavailable").GetInt64().ShouldBe(112);
        stats.GetProperty("total_addresses").GetInt64().ShouldBe(254);
        stats.GetProperty("usage").GetDouble().ShouldBe(112.0 / 254, 1e-9);
        stats.Str("usage_string").ShouldBe("44%");
        stats.Str("available_string").ShouldBe("56%");
        stats.Str("first_address").ShouldBe(net.At(1));
        stats.Str("last_address").ShouldBe(net.At(254));
        stats.GetProperty("ip_version").GetInt32().ShouldBe(4);
        stats.TryGetProperty("ranges", out _).ShouldBeFalse();
        stats.TryGetProperty("suggested_gateway", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Statistics_with_ranges_partition_the_subnet_into_used_and_unused_runs()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();

        var stats = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "statistics", ("include_ranges", "1"))).ShouldBeJsonAsync();

        Rows(stats.GetProperty("ranges"), withPurpose: true).ShouldBe(
        [
            $"{net.At(1)}-{net.At(1)}:1:gateway-ip",
            $"{net.At(2)}-{net.At(9)}:8:unused",
            $"{net.At(10)}-{net.At(19)}:10:reserved",
            $"{net.At(20)}-{net.At(49)}:30:unused",
            $"{net.At(50)}-{net.At(50)}:1:assigned-ip",
            $"{net.At(51)}-{net.At(99)}:49:unused",
            $"{net.At(100)}-{net.At(199)}:100:dynamic",
            $"{net.At(200)}-{net.At(254)}:55:unused",
        ]);
    }

    [Fact]
    public async Task Suggestions_are_none_for_a_dynamic_range_when_one_exists()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();

        var stats = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "statistics", ("include_suggestions", "true"))).ShouldBeJsonAsync();

        stats.Str("suggested_gateway").ShouldBe(net.At(254));
        stats.GetProperty("suggested_dynamic_range").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Suggestions_for_an_empty_subnet_are_the_first_address_and_the_top_quarter()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net);

        var stats = await (await admin.Client.GetOpAsync($"subnets/{subnet.Id()}/", "statistics", ("include_suggestions", "1"))).ShouldBeJsonAsync();

        stats.Str("suggested_gateway").ShouldBe(net.At(1));
        var range = stats.GetProperty("suggested_dynamic_range");
        range.Str("start").ShouldBe(net.At(191));
        range.Str("end").ShouldBe(net.At(254));
        range.GetProperty("num_addresses").GetInt64().ShouldBe(64);
        range.GetProperty("purpose").EnumerateArray().Select(p => p.GetString()).ShouldBe(["proposed-dynamic"]);
        stats.Str("usage_string").ShouldBe("0%");
    }

    [Fact]
    public async Task Ip_addresses_lists_addresses_by_ip_with_owner_and_node()
    {
        var (admin, net, subnet) = await WorkedExampleAsync();
        var owner = await host.CreateUserAsync();
        var node = await host.CreateNodeAsync();
        await host.InsertAddressAsync(subnet, net.At(30), allocType: 1, userId: owner.Id, node: node);

        var full = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "ip_addresses")).ShouldBeJsonAsync();
        var bare = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "ip_addresses", ("with_username", "0"), ("with_summary", "0"))).ShouldBeJsonAsync();
        var deprecated = await (await admin.Client.GetOpAsync($"subnets/{subnet}/", "ip_addresses", ("with_node_summary", "false"))).ShouldBeJsonAsync();

        full.EnumerateArray().Select(a => a.Str("ip")).ShouldBe([net.At(30), net.At(50)]);
        var linked = full[0];
        linked.GetProperty("alloc_type").GetInt32().ShouldBe(1);
        linked.Str("user").ShouldBe(owner.Username);
        linked.Str("created").ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$");
        var summary = linked.GetProperty("node_summary");
        summary.Str("system_id").ShouldBe(node.SystemId);
        summary.Str("hostname").ShouldBe(node.Hostname);
        summary.Str("fqdn").ShouldBe($"{node.Hostname}.maas");
        summary.GetProperty("node_type").GetInt32().ShouldBe(0);
        summary.GetProperty("is_container").GetBoolean().ShouldBeFalse();
        summary.Str("via").ShouldBe("eth0");
        full[1].TryGetProperty("node_summary", out _).ShouldBeFalse();
        bare[0].TryGetProperty("user", out _).ShouldBeFalse();
        bare[0].TryGetProperty("node_summary", out _).ShouldBeFalse();
        deprecated[0].TryGetProperty("node_summary", out _).ShouldBeFalse();
        deprecated[0].Str("user").ShouldBe(owner.Username);
    }

    [Fact]
    public async Task An_unmanaged_subnet_is_free_only_inside_its_reserved_ranges()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = await admin.CreateSubnetAsync(net, ("managed", "false"), ("gateway_ip", net.At(1)));
        await admin.CreateRangeAsync(subnet.Id(), "reserved", net.At(10), net.At(19));
        await host.InsertAddressAsync(subnet.Id(), net.At(12));

        var free = await (await admin.Client.GetOpAsync($"subnets/{subnet.Id()}/", "unreserved_ip_ranges")).ShouldBeJsonAsync();

        Rows(free, withPurpose: false).ShouldBe([$"{net.At(10)}-{net.At(11)}:2", $"{net.At(13)}-{net.At(19)}:7"]);
    }

    [Fact]
    public async Task An_ipv6_64_reserves_the_anycast_address_and_the_low_block()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var prefix = $"fd00:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        var subnet = await (await admin.Client.PostAsync("subnets/", ("cidr", $"{prefix}::/64"))).ShouldBeJsonAsync();

        var used = await (await admin.Client.GetOpAsync($"subnets/{subnet.Id()}/", "reserved_ip_ranges")).ShouldBeJsonAsync();
        var stats = await (await admin.Client.GetOpAsync($"subnets/{subnet.Id()}/", "statistics")).ShouldBeJsonAsync();

        Rows(used, withPurpose: true).ShouldBe([$"{prefix}::-{prefix}:::1:rfc-4291-2.6.1", $"{prefix}::1-{prefix}::ffff:ffff:4294967295:reserved"]);
        stats.GetProperty("ip_version").GetInt32().ShouldBe(6);
        stats.GetProperty("total_addresses").GetRawText().ShouldBe("18446744073709551616");
    }

    private async Task<(TestUser Admin, TestNet Net, long Subnet)> WorkedExampleAsync()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = (await admin.CreateSubnetAsync(net, ("gateway_ip", net.At(1)))).Id();
        await admin.CreateRangeAsync(subnet, "dynamic", net.At(100), net.At(199));
        await admin.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));
        await host.InsertAddressAsync(subnet, net.At(50));
        return (admin, net, subnet);
    }

    private static List<string> Rows(JsonElement ranges, bool withPurpose) =>
        [.. ranges.EnumerateArray().Select(r =>
            $"{r.Str("start")}-{r.Str("end")}:{r.GetProperty("num_addresses").GetRawText()}"
            + (withPurpose ? ":" + string.Join(",", r.GetProperty("purpose").EnumerateArray().Select(p => p.GetString())) : ""))];
}
