using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Domain.Network;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

/// <summary>The address rules shared by the subnet ops and range validation.</summary>
public sealed class SubnetUsageTests
{
    [Fact]
    public void A_point_to_point_network_has_every_address_free()
    {
        var usage = Usage("10.0.0.0/31");

        Describe(usage.Free()).ShouldBe(["10.0.0.0-10.0.0.1"]);
    }

    [Fact]
    public void Overlapping_uses_keep_their_own_entries_but_count_once()
    {
        var usage = Usage("10.0.0.0/29", ranges: [new UsageRange(1, "reserved", Ip("10.0.0.2"), Ip("10.0.0.4"))], addresses: ["10.0.0.3"]);

        var statistics = SubnetStatistics.From(usage);

        Describe(usage.InUse()).ShouldBe(["10.0.0.2-10.0.0.4", "10.0.0.3-10.0.0.3"]);
        statistics.NumUnavailable.ShouldBe((UInt128)3);
        statistics.NumAvailable.ShouldBe((UInt128)3);
        statistics.TotalAddresses.ShouldBe((UInt128)6);
    }

    [Fact]
    public void Discovered_addresses_do_not_block_a_dynamic_range_but_static_ones_do()
    {
        var usage = Usage("10.0.0.0/24", addresses: ["10.0.0.150"], discovered: ["10.0.0.120"]);

        Should.NotThrow(() => IpRangeRules.Validate(usage, "dynamic", Ip("10.0.0.100"), Ip("10.0.0.140"), null));
        Should.Throw<ValidationException>(() => IpRangeRules.Validate(usage, "dynamic", Ip("10.0.0.100"), Ip("10.0.0.160"), null));
    }

    [Fact]
    public void A_range_is_not_in_conflict_with_itself_when_updated()
    {
        var usage = Usage("10.0.0.0/24", ranges: [new UsageRange(7, "dynamic", Ip("10.0.0.100"), Ip("10.0.0.199"))]);

        Should.NotThrow(() => IpRangeRules.Validate(usage, "dynamic", Ip("10.0.0.90"), Ip("10.0.0.210"), rangeId: 7));
        Should.Throw<ValidationException>(() => IpRangeRules.Validate(usage, "dynamic", Ip("10.0.0.90"), Ip("10.0.0.210"), rangeId: null));
    }

    [Fact]
    public void Ipv6_dynamic_ranges_need_256_addresses()
    {
        var usage = Usage("2001:db8::/64");

        var refusal = Should.Throw<ValidationException>(() => IpRangeRules.Validate(usage, "dynamic", Ip("2001:db8::1:0:0"), Ip("2001:db8::1:0:fe"), null));

        refusal.FieldErrors["start_ip"].ShouldBe(["IPv6 dynamic range must be at least 256 addresses in size."]);
    }

    [Fact]
    public void Half_of_what_is_free_is_suggested_when_less_than_a_quarter_is()
    {
        var usage = Usage("10.0.0.0/24", ranges: [new UsageRange(1, "reserved", Ip("10.0.0.2"), Ip("10.0.0.205"))]);

        var statistics = SubnetStatistics.From(usage);

        statistics.NumAvailable.ShouldBe((UInt128)50);
        statistics.SuggestedGateway.ShouldBe(Ip("10.0.0.1"));
        statistics.SuggestedDynamicRange!.Start.ShouldBe(Ip("10.0.0.230"));
        statistics.SuggestedDynamicRange.End.ShouldBe(Ip("10.0.0.254"));
    }

    private static SubnetUsage Usage(string cidr, UsageRange[]? ranges = null, string[]? addresses = null, string[]? discovered = null)
    {
        var network = IpNetwork.Parse(cidr);
        var used = (addresses ?? []).Select(a => new UsedAddress(Ip(a), false)).Concat((discovered ?? []).Select(a => new UsedAddress(Ip(a), true)));
        return new SubnetUsage(new SubnetUsageInput(network, true, null, [], ranges ?? [], [.. used], []));
    }

    private static IpAddress Ip(string text) => IpAddress.Parse(text);

    private static List<string> Describe(IEnumerable<AddressRange> ranges) => [.. ranges.Select(r => $"{r.Start}-{r.End}")];
}
