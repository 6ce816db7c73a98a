using System.Net;
using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class IpRangesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task A_non_admin_may_reserve_a_range_which_they_then_own()
    {
        var (_, net, subnet) = await SubnetAsync();
        var user = await host.CreateUserAsync();

        var range = await (await user.Client.PostAsync(
            "ipranges/", ("type", "reserved"), ("subnet", $"{subnet}"), ("start_ip", net.At(10)), ("end_ip", net.At(19)), ("comment", "lab kit"))).ShouldBeJsonAsync();

        range.Str("type").ShouldBe("reserved");
        range.Str("start_ip").ShouldBe(net.At(10));
        range.Str("end_ip").ShouldBe(net.At(19));
        range.Str("comment").ShouldBe("lab kit");
        range.GetProperty("user").Str("username").ShouldBe(user.Username);
        range.GetProperty("subnet").Id().ShouldBe(subnet);
        range.GetProperty("subnet").GetProperty("vlan").Id().ShouldBe(5001);
        range.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/ipranges/{range.Id()}/");
        (await host.AuditEventsByAsync(user.Username)).ShouldContain(("NETWORKING", $"Created reserved IP range {net.At(10)}-{net.At(19)} on subnet '{net.Cidr}'."));
    }

    [Fact]
    public async Task A_non_admin_may_not_create_a_dynamic_range()
    {
        var (_, net, subnet) = await SubnetAsync();
        var user = await host.CreateUserAsync();

        var text = await (await user.Client.PostAsync(
            "ipranges/", ("type", "dynamic"), ("subnet", $"{subnet}"), ("start_ip", net.At(100)), ("end_ip", net.At(199)))).ShouldBeTextAsync(HttpStatusCode.Forbidden);

        text.ShouldBe("Unable to create dynamic IP range. You don't have sufficient privileges.");
        (await host.CountAsync("SELECT count(*) FROM iprange WHERE subnet_id = @subnet", new { subnet })).ShouldBe(0);
    }

    [Fact]
    public async Task List_and_read_show_ranges_to_everyone()
    {
        var (admin, net, subnet) = await SubnetAsync();
        var user = await host.CreateUserAsync();
        var range = await admin.CreateRangeAsync(subnet, "dynamic", net.At(100), net.At(199));

        var listed = await (await user.Client.GetAsync("ipranges/")).ShouldBeJsonAsync();
        var read = await (await user.Client.GetAsync($"ipranges/{range.Id()}/")).ShouldBeJsonAsync();

        listed.EnumerateArray().Select(r => r.Id()).ShouldContain(range.Id());
        read.Str("type").ShouldBe("dynamic");
        read.GetProperty("user").Str("username").ShouldBe(admin.Username);
        await (await user.Client.GetAsync("ipranges/987654/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("reserved", 15, 25, "Requested reserved range conflicts with an existing range.")]
    [InlineData("dynamic", 5, 10, "Requested dynamic range conflicts with an existing IP address or range.")]
    [InlineData("dynamic", 40, 60, "Requested dynamic range conflicts with an existing IP address or range.")]
    [InlineData("dynamic", 1, 5, "Requested dynamic range conflicts with an existing IP address or range.")]
    public async Task A_range_over_another_range_an_address_or_the_gateway_is_refused_on_both_fields(string type, int start, int end, string message)
    {
        var (admin, net, subnet) = await SubnetAsync(gateway: 1);
        await admin.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));
        await host.InsertAddressAsync(subnet, net.At(50));

        var errors = await (await admin.Client.PostAsync(
            "ipranges/", ("type", type), ("subnet", $"{subnet}"), ("start_ip", net.At(start)), ("end_ip", net.At(end)))).ShouldBeFieldErrorsAsync();

        errors["start_ip"].ShouldBe([message]);
        errors["end_ip"].ShouldBe([message]);
    }

    [Fact]
    public async Task A_reserved_range_may_cover_allocated_addresses()
    {
        var (admin, net, subnet) = await SubnetAsync();
        await host.InsertAddressAsync(subnet, net.At(50));

        var range = await admin.CreateRangeAsync(subnet, "reserved", net.At(40), net.At(60));

        range.Str("start_ip").ShouldBe(net.At(40));
    }

    [Theory]
    [InlineData(20, 10, "end_ip", "End IP address must not be less than Start IP address.")]
    [InlineData(0, 10, "start_ip", "Reserved network address cannot be included in IP range.")]
    [InlineData(200, 255, "end_ip", "Broadcast address cannot be included in IP range.")]
    public async Task A_range_with_misplaced_ends_is_a_field_error(int start, int end, string field, string message)
    {
        var (admin, net, subnet) = await SubnetAsync();

        var errors = await (await admin.Client.PostAsync(
            "ipranges/", ("type", "reserved"), ("subnet", $"{subnet}"), ("start_ip", net.At(start)), ("end_ip", net.At(end)))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe([field]);
        errors[field].ShouldBe([message]);
    }

    [Fact]
    public async Task A_range_outside_its_subnet_is_refused()
    {
        var (admin, net, subnet) = await SubnetAsync();
        var other = TestNet.Next();

        var outside = await (await admin.Client.PostAsync(
            "ipranges/", ("type", "reserved"), ("subnet", $"{subnet}"), ("start_ip", other.At(10)), ("end_ip", other.At(20)))).ShouldBeFieldErrorsAsync();
        var endOutside = await (await admin.Client.PostAsync(
            "ipranges/", ("type", "reserved"), ("subnet", $"{subnet}"), ("start_ip", net.At(10)), ("end_ip", other.At(20)))).ShouldBeFieldErrorsAsync();

        outside["start_ip"].ShouldBe([$"IP addresses must be within subnet: {net.Cidr}."]);
        outside["end_ip"].ShouldBe([$"IP addresses must be within subnet: {net.Cidr}."]);
        endOutside["end_ip"].ShouldBe([$"End IP address must be within subnet: {net.Cidr}."]);
    }

    [Fact]
    public async Task Missing_or_invalid_fields_are_reported_together()
    {
        var (admin, _, _) = await SubnetAsync();

        var errors = await (await admin.Client.PostAsync(
            "ipranges/", ("type", "static"), ("subnet", "987654"), ("start_ip", "10.1"), ("end_ip", "x"))).ShouldBeFieldErrorsAsync();

        errors["type"].ShouldBe(["Select a valid choice. static is not one of the available choices."]);
        errors["subnet"].ShouldBe(["Select a valid choice. That choice is not one of the available choices."]);
        errors["start_ip"].ShouldBe(["Enter a valid IPv4 or IPv6 address."]);
        errors["end_ip"].ShouldBe(["Enter a valid IPv4 or IPv6 address."]);
    }

    [Fact]
    public async Task The_owner_may_update_their_range_and_it_may_grow_over_its_own_addresses()
    {
        var (_, net, subnet) = await SubnetAsync();
        var user = await host.CreateUserAsync();
        var range = await user.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));

        var updated = await (await user.Client.PutAsync($"ipranges/{range.Id()}/", ("start_ip", net.At(5)), ("comment", "grown"))).ShouldBeJsonAsync();

        updated.Str("start_ip").ShouldBe(net.At(5));
        updated.Str("end_ip").ShouldBe(net.At(19));
        updated.Str("comment").ShouldBe("grown");
    }

    [Fact]
    public async Task Another_non_admin_may_neither_update_nor_delete_a_range_but_an_admin_may()
    {
        var (admin, net, subnet) = await SubnetAsync();
        var owner = await host.CreateUserAsync();
        var stranger = await host.CreateUserAsync();
        var range = await owner.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));

        var update = await (await stranger.Client.PutAsync($"ipranges/{range.Id()}/", ("comment", "mine"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        var delete = await (await stranger.Client.DeleteAsync($"ipranges/{range.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PutAsync($"ipranges/{range.Id()}/", ("comment", "audited"))).ShouldBeJsonAsync();
        await (await admin.Client.DeleteAsync($"ipranges/{range.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        update.ShouldBe("Unable to modify IP range. You don't own the IP range.");
        delete.ShouldBe("Unable to modify IP range. You don't own the IP range.");
        await (await owner.Client.GetAsync($"ipranges/{range.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_owner_may_not_turn_a_reserved_range_into_a_dynamic_one()
    {
        var (_, net, subnet) = await SubnetAsync();
        var user = await host.CreateUserAsync();
        var range = await user.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));

        await (await user.Client.PutAsync($"ipranges/{range.Id()}/", ("type", "dynamic"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Update_into_another_range_is_refused()
    {
        var (admin, net, subnet) = await SubnetAsync();
        await admin.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));
        var second = await admin.CreateRangeAsync(subnet, "reserved", net.At(30), net.At(39));

        var errors = await (await admin.Client.PutAsync($"ipranges/{second.Id()}/", ("start_ip", net.At(15)))).ShouldBeFieldErrorsAsync();

        errors["start_ip"].ShouldBe(["Requested reserved range conflicts with an existing range."]);
    }

    [Fact]
    public async Task The_database_refuses_an_overlap_that_skipped_the_check_with_the_same_field_error()
    {
        var (admin, net, subnet) = await SubnetAsync();
        await admin.CreateRangeAsync(subnet, "reserved", net.At(10), net.At(19));

        var refusal = await Should.ThrowAsync<ValidationException>(() => host.Database.InTransactionAsync(
            (c, tx) => IpRangeStore.CreateAsync(c, tx, subnet, "dynamic", net.At(15), net.At(25), "", null, CancellationToken.None),
            CancellationToken.None));

        refusal.FieldErrors["start_ip"].ShouldBe(["Requested dynamic range conflicts with an existing IP address or range."]);
        refusal.FieldErrors["end_ip"].ShouldBe(["Requested dynamic range conflicts with an existing IP address or range."]);
    }

    [Fact]
    public async Task Ranges_are_found_by_subnet_cidr_too()
    {
        var (admin, net, _) = await SubnetAsync();

        var range = await (await admin.Client.PostAsync(
            "ipranges/", ("type", "reserved"), ("subnet", net.Cidr), ("start_ip", net.At(10)), ("end_ip", net.At(11)))).ShouldBeJsonAsync();

        range.GetProperty("subnet").Str("cidr").ShouldBe(net.Cidr);
    }

    private async Task<(TestUser Admin, TestNet Net, long Subnet)> SubnetAsync(int? gateway = null)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var net = TestNet.Next();
        var subnet = gateway is { } g ? await admin.CreateSubnetAsync(net, ("gateway_ip", net.At(g))) : await admin.CreateSubnetAsync(net);
        return (admin, net, subnet.Id());
    }
}
