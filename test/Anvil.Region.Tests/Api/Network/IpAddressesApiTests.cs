using System.Net;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class IpAddressesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly IpamSetup _ipam = new(host);

    [Fact]
    public async Task Reserve_takes_the_first_address_of_the_smallest_free_range_skipping_gateway_dns_and_used_addresses()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString(), IpamSetup.At(cidr, 2).ToString());
        await _ipam.AddRangeAsync(subnetId, "reserved", IpamSetup.At(cidr, 10).ToString(), IpamSetup.At(cidr, 20).ToString());
        await _ipam.AddRangeAsync(subnetId, "dynamic", IpamSetup.At(cidr, 100).ToString(), IpamSetup.At(cidr, 199).ToString());
        await _ipam.UseAsync(subnetId, IpamSetup.At(cidr, 3).ToString());

        // Free: .4-.9 (6), .21-.99 (79), .200-.254 (55).
        var address = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()))).ShouldBeJsonAsync();

        address.GetProperty("ip").GetString().ShouldBe(IpamSetup.At(cidr, 4).ToString());
    }

    [Fact]
    public async Task Reserve_renders_the_address_as_maas_does()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        var ip = IpamSetup.At(cidr, 42).ToString();

        var address = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip))).ShouldBeJsonAsync();

        address.GetProperty("ip").GetString().ShouldBe(ip);
        address.GetProperty("alloc_type").GetInt32().ShouldBe(4);
        address.GetProperty("alloc_type_name").GetString().ShouldBe("User reserved");
        address.GetProperty("created").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$");
        address.GetProperty("owner").GetProperty("username").GetString().ShouldBe(user.Username);
        address.GetProperty("interface_set").GetArrayLength().ShouldBe(0);
        var subnet = address.GetProperty("subnet");
        subnet.GetProperty("id").GetInt64().ShouldBe(subnetId);
        subnet.GetProperty("cidr").GetString().ShouldBe(cidr.ToString());
        subnet.GetProperty("gateway_ip").GetString().ShouldBe(IpamSetup.At(cidr, 1).ToString());
        subnet.GetProperty("space").GetString().ShouldBe("undefined");
        subnet.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/subnets/{subnetId}/");
        subnet.GetProperty("vlan").GetProperty("name").GetString().ShouldBe("untagged");
        subnet.GetProperty("vlan").GetProperty("fabric").GetString().ShouldBe("fabric-0");
    }

    [Fact]
    public async Task Reserve_by_subnet_cidr_in_an_ipv6_64_skips_the_anycast_address_and_the_gateway()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV6();
        await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());

        var address = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", cidr.ToString()))).ShouldBeJsonAsync();

        address.GetProperty("ip").GetString().ShouldBe(IpamSetup.At(cidr, 2).ToString());
    }

    [Fact]
    public async Task Reserve_of_an_address_outside_the_subnet_is_forbidden()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var elsewhere = IpamSetup.At(cidr, 300).ToString();

        var body = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("ip", elsewhere)))
            .ShouldBeTextAsync(HttpStatusCode.Forbidden);

        body.ShouldContain("outside the subnet");
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(255u)]
    public async Task Reserve_of_the_network_or_broadcast_address_is_forbidden(uint offset)
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);

        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("ip", IpamSetup.At(cidr, offset).ToString())))
            .ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Reserve_of_an_address_in_use_is_not_found_and_names_the_address()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var ip = IpamSetup.At(cidr, 7).ToString();
        await _ipam.UseAsync(subnetId, ip);

        var body = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip_address", ip))).ShouldBeTextAsync(HttpStatusCode.NotFound);

        body.ShouldBe($"The IP address {ip} is already in use.");
    }

    [Fact]
    public async Task Reserve_of_an_observed_address_succeeds_because_an_observation_does_not_hold_it()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var ip = IpamSetup.At(cidr, 7).ToString();
        await _ipam.UseAsync(subnetId, ip, allocType: 6);

        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip))).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Reserve_in_a_dynamic_range_is_forbidden_without_a_mac_and_links_an_unknown_interface_with_one()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        await _ipam.AddRangeAsync(subnetId, "dynamic", IpamSetup.At(cidr, 100).ToString(), IpamSetup.At(cidr, 199).ToString());
        var ip = IpamSetup.At(cidr, 150).ToString();

        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        var address = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip), ("mac", "52-54-00-12-34-56"))).ShouldBeJsonAsync();

        var nic = address.GetProperty("interface_set").EnumerateArray().Single();
        nic.GetProperty("type").GetString().ShouldBe("unknown");
        nic.GetProperty("mac_address").GetString().ShouldBe("52:54:00:12:34:56");
        nic.GetProperty("system_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Reserve_with_a_hostname_adds_the_address_to_a_dns_resource_in_the_default_domain()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var name = RegionTestHost.Unique("printer");

        var address = await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()), ("hostname", name))).ShouldBeJsonAsync();

        var linked = await host.Database.ReadAsync(
            c => c.QuerySingleAsync<(string, string)>(
                """
                SELECT d.name, host(s.ip) FROM dnsresource r JOIN domain d ON d.id = r.domain_id
                JOIN dnsresource_ip l ON l.dnsresource_id = r.id JOIN staticipaddress s ON s.id = l.staticipaddress_id
                WHERE r.name = @name
                """,
                new { name }),
            CancellationToken.None);
        linked.ShouldBe(("maas", address.GetProperty("ip").GetString()!));
    }

    [Fact]
    public async Task Reserve_refuses_bad_parameters_with_field_errors()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = (await _ipam.CreateSubnetAsync(cidr)).ToString();

        (await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId), ("ip", "10.0.0.300"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["ip"]);
        (await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId), ("mac", "not-a-mac"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["mac"]);
        (await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId), ("count", "0"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["count"]);
        (await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId), ("hostname", "bad_name"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["hostname"]);
        (await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", IpamSetup.At(cidr, 5).ToString()), ("count", "2"))).ShouldBeFieldErrorsAsync())
            .Keys.ShouldBe(["count"]);
        await (await user.Client.PostOpAsync("ipaddresses/", "reserve")).ShouldBeTextAsync(HttpStatusCode.BadRequest);
        (await _ipam.AddressesOfAsync(long.Parse(subnetId))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reserve_in_an_unknown_subnet_is_not_found()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", "999999"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reserve_in_a_full_subnet_is_unavailable_with_retry_after()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(30);
        var subnetId = await _ipam.CreateSubnetAsync(cidr, IpamSetup.At(cidr, 1).ToString());
        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()))).ShouldBeJsonAsync();

        var response = await user.Client.PostOpAsync("ipaddresses/", "reserve", ("subnet", subnetId.ToString()));

        (await response.ShouldBeTextAsync(HttpStatusCode.ServiceUnavailable)).ShouldBe($"No more IPs available in subnet: {cidr}.");
        response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Release_frees_the_callers_own_reservation_and_its_unknown_interface()
    {
        var user = await host.CreateUserAsync();
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var ip = IpamSetup.At(cidr, 9).ToString();
        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip), ("mac", "52:54:00:00:00:09"))).ShouldBeJsonAsync();

        var response = await user.Client.PostOpAsync("ipaddresses/", "release", ("ip", ip));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
        var interfaces = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM interface WHERE mac_address = '52:54:00:00:00:09'"), CancellationToken.None);
        interfaces.ShouldBe(0);
        await (await user.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip))).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Release_of_someone_elses_address_needs_an_admin_with_force()
    {
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var ip = IpamSetup.At(cidr, 9).ToString();
        await (await owner.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", ip))).ShouldBeJsonAsync();

        await (await other.Client.PostOpAsync("ipaddresses/", "release", ("ip", ip))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostOpAsync("ipaddresses/", "release", ("ip", ip), ("force", "true"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", ip))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBe([ip]);

        (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", ip), ("force", "true"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Release_of_a_machines_address_needs_force_and_of_an_observed_one_needs_discovered()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var sticky = IpamSetup.At(cidr, 5).ToString();
        var observed = IpamSetup.At(cidr, 6).ToString();
        await _ipam.UseAsync(subnetId, sticky);
        await _ipam.UseAsync(subnetId, observed, allocType: 6);

        await (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", sticky))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", observed), ("force", "true"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", sticky), ("force", "true"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.Client.PostOpAsync("ipaddresses/", "release", ("ip", observed), ("discovered", "true"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await _ipam.AddressesOfAsync(subnetId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_shows_the_callers_reservations_and_admins_may_see_all_or_one_owners()
    {
        var alice = await host.CreateUserAsync();
        var bob = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var cidr = IpamSetup.NextV4(24);
        var subnetId = await _ipam.CreateSubnetAsync(cidr);
        var alicesIp = IpamSetup.At(cidr, 11).ToString();
        var bobsIp = IpamSetup.At(cidr, 12).ToString();
        var machinesIp = IpamSetup.At(cidr, 13).ToString();
        await (await alice.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", alicesIp))).ShouldBeJsonAsync();
        await (await bob.Client.PostOpAsync("ipaddresses/", "reserve", ("ip", bobsIp))).ShouldBeJsonAsync();
        await _ipam.UseAsync(subnetId, machinesIp);

        Ips(await (await alice.Client.GetAsync("ipaddresses/")).ShouldBeJsonAsync()).ShouldBe([alicesIp]);
        Ips(await (await alice.Client.GetAsync("ipaddresses/", ("ip", bobsIp))).ShouldBeJsonAsync()).ShouldBeEmpty();
        await (await alice.Client.GetAsync("ipaddresses/", ("all", "true"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await alice.Client.GetAsync("ipaddresses/", ("owner", bob.Username))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        Ips(await (await admin.Client.GetAsync("ipaddresses/", ("owner", bob.Username))).ShouldBeJsonAsync()).ShouldBe([bobsIp]);
        Ips(await (await admin.Client.GetAsync("ipaddresses/", ("all", "true"))).ShouldBeJsonAsync()).ShouldContain(ip => ip == alicesIp || ip == bobsIp || ip == machinesIp, 3);
        Ips(await (await admin.Client.GetAsync("ipaddresses/", ("all", "true"), ("ip", machinesIp))).ShouldBeJsonAsync()).ShouldBe([machinesIp]);
    }

    private static List<string> Ips(JsonElement list) => list.EnumerateArray().Select(a => a.GetProperty("ip").GetString()!).ToList();
}
