using System.Net;
using Anvil.Domain.Ipam;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

/// <summary>
/// Concurrent and bulk reservations through the real HTTP pipeline against one database: the
/// unique index, not a lock, keeps every address with one holder.
/// </summary>
public sealed class IpAddressesRaceTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly IpamSetup _ipam = new(host);

    [Fact]
    public async Task A_thousand_concurrent_reservations_on_a_22_get_a_thousand_distinct_addresses_outside_every_range()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(22);
        var gateway = IpamSetup.At(cidr, 1);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, gateway.ToString());
        var dynamic = new IpRange(IpamSetup.At(cidr, 256), IpamSetup.At(cidr, 265));
        var reserved = new IpRange(IpamSetup.At(cidr, 600), IpamSetup.At(cidr, 604));
        await _ipam.AddRangeAsync(subnetId, "dynamic", dynamic.First.ToString(), dynamic.Last.ToString());
        await _ipam.AddRangeAsync(subnetId, "reserved", reserved.First.ToString(), reserved.Last.ToString());

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async _ =>
            await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()))));

        var ips = new List<IpAddress>();
        foreach (var response in responses)
            ips.Add(IpAddress.Parse((await response.ShouldBeJsonAsync()).GetProperty("ip").GetString()!));
        ips.Distinct().Count().ShouldBe(1000);
        ips.ShouldAllBe(ip => cidr.HostRange.Contains(ip) && ip != gateway && !dynamic.Contains(ip) && !reserved.Contains(ip));
        (await _ipam.AddressesOfAsync(subnetId)).Count.ShouldBe(1000);
    }

    [Fact]
    public async Task Three_hundred_concurrent_reservations_with_250_free_addresses_give_250_addresses_and_50_exhaustion_errors()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        await _ipam.AddRangeAsync(subnetId, "dynamic", IpamSetup.At(cidr, 200).ToString(), IpamSetup.At(cidr, 202).ToString());

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
            await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", cidr.ToString()))));

        var reserved = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            reserved.Add((await response.ShouldBeJsonAsync()).GetProperty("ip").GetString()!);
        reserved.Distinct().Count().ShouldBe(250);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        refused.Count.ShouldBe(50);
        foreach (var response in refused)
        {
            (await response.ShouldBeTextAsync(HttpStatusCode.ServiceUnavailable)).ShouldBe($"No more IPs available in subnet: {cidr}.");
            response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(10));
        }

        (await _ipam.AddressesOfAsync(subnetId)).Count.ShouldBe(250);
    }

    [Fact]
    public async Task Reserving_a_thousand_addresses_in_one_call_writes_them_in_one_transaction()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(22);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        var dynamic = new IpRange(IpamSetup.At(cidr, 100), IpamSetup.At(cidr, 119));
        await _ipam.AddRangeAsync(subnetId, "dynamic", dynamic.First.ToString(), dynamic.Last.ToString());

        var list = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("count", "1000"))).ShouldBeJsonAsync();

        var ips = list.EnumerateArray().Select(a => IpAddress.Parse(a.GetProperty("ip").GetString()!)).ToList();
        ips.Count.ShouldBe(1000);
        ips.Distinct().Count().ShouldBe(1000);
        ips.ShouldAllBe(ip => cidr.HostRange.Contains(ip) && !dynamic.Contains(ip) && ip != IpamSetup.At(cidr, 1));
        // The smallest free range (.2-.99) fills first.
        ips.Min().ShouldBe(IpamSetup.At(cidr, 2));
        var transactions = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM staticipaddress WHERE subnet_id = @subnetId", new { subnetId }),
            CancellationToken.None);
        transactions.ShouldBe(1);
    }

    [Fact]
    public async Task A_failure_halfway_through_a_bulk_reservation_leaves_no_address_and_no_interface()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(22);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        var poisoned = IpamSetup.At(cidr, 500).ToString();
        var trigger = RegionTestHost.Unique("fail_link").Replace('-', '_');
        // The 499th link of the call fails, after its 1,000 addresses and its interface were written.
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                $"""
                CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (SELECT ip FROM staticipaddress WHERE id = NEW.staticipaddress_id) = '{poisoned}'::inet THEN
                        RAISE EXCEPTION 'injected failure';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER {trigger} BEFORE INSERT ON interface_ip FOR EACH ROW EXECUTE FUNCTION {trigger}();
                """,
                transaction: tx)),
            CancellationToken.None);
        try
        {
            var response = await user.Client.PostOpAsync(
                "ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("count", "1000"), ("mac", "52:54:00:aa:bb:01"));

            await response.ShouldBeStatusAsync(HttpStatusCode.InternalServerError);
            (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
            var interfaces = await host.Database.ReadAsync(
                c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM interface WHERE mac_address = '52:54:00:aa:bb:01'"), CancellationToken.None);
            interfaces.ShouldBe(0);
        }
        finally
        {
            await host.Database.InTransactionAsync(
                (c, tx) => c.ExecuteAsync(new CommandDefinition($"DROP TRIGGER {trigger} ON interface_ip; DROP FUNCTION {trigger}();", transaction: tx)),
                CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_bulk_reservation_larger_than_the_free_space_reserves_nothing()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);

        var response = await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("count", "255"));

        (await response.ShouldBeTextAsync(HttpStatusCode.ServiceUnavailable)).ShouldBe($"No more IPs available in subnet: {cidr}.");
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
    }
}
