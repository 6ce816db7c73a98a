using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Network;

public sealed class StaticRoutesApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_read_update_and_delete_a_route_with_audit_events()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var source = await admin.CreateSubnetAsync(a);
        var destination = await admin.CreateSubnetAsync(b);

        var route = await (await admin.Client.PostAsync(
            "static-routes/", ("source", $"{source.Id()}"), ("destination", b.Cidr), ("gateway_ip", a.At(1)), ("metric", "5"))).ShouldBeJsonAsync();
        var read = await (await admin.Client.GetAsync($"static-routes/{route.Id()}/")).ShouldBeJsonAsync();
        var updated = await (await admin.Client.PutAsync($"static-routes/{route.Id()}/", ("gateway_ip", a.At(2)), ("metric", "7"))).ShouldBeJsonAsync();
        var listed = await (await admin.Client.GetAsync("static-routes/")).ShouldBeJsonAsync();
        await (await admin.Client.DeleteAsync($"static-routes/{route.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        route.GetProperty("source").Id().ShouldBe(source.Id());
        route.GetProperty("destination").Id().ShouldBe(destination.Id());
        route.GetProperty("destination").Str("cidr").ShouldBe(b.Cidr);
        route.Str("gateway_ip").ShouldBe(a.At(1));
        route.GetProperty("metric").GetInt32().ShouldBe(5);
        route.Str("resource_uri").ShouldBe($"/MAAS/api/2.0/static-routes/{route.Id()}/");
        read.Str("gateway_ip").ShouldBe(a.At(1));
        updated.Str("gateway_ip").ShouldBe(a.At(2));
        updated.GetProperty("metric").GetInt32().ShouldBe(7);
        updated.GetProperty("source").Id().ShouldBe(source.Id());
        listed.EnumerateArray().Select(r => r.Id()).ShouldContain(route.Id());
        await (await admin.Client.GetAsync($"static-routes/{route.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
        (await host.AuditEventsByAsync(admin.Username)).Count(e => e.Description.Contains("static route")).ShouldBe(3);
    }

    [Fact]
    public async Task The_gateway_must_be_inside_the_source_subnet()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var source = await admin.CreateSubnetAsync(a);
        var destination = await admin.CreateSubnetAsync(b);

        var errors = await (await admin.Client.PostAsync(
            "static-routes/", ("source", $"{source.Id()}"), ("destination", $"{destination.Id()}"), ("gateway_ip", b.At(1)))).ShouldBeFieldErrorsAsync();

        errors["gateway_ip"].ShouldBe([$"Enter an IP address in {a.Cidr}."]);
    }

    [Fact]
    public async Task Duplicates_same_subnets_and_mixed_families_are_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var source = await admin.CreateSubnetAsync(a);
        var destination = await admin.CreateSubnetAsync(b);
        var v6 = await (await admin.Client.PostAsync("subnets/", ("cidr", $"2001:db8:{Random.Shared.Next(1, 0xffff):x}::/64"))).ShouldBeJsonAsync();
        (string, string)[] form = [("source", $"{source.Id()}"), ("destination", $"{destination.Id()}"), ("gateway_ip", a.At(1))];
        await (await admin.Client.PostAsync("static-routes/", form)).ShouldBeJsonAsync();

        var duplicate = await (await admin.Client.PostAsync("static-routes/", form)).ShouldBeFieldErrorsAsync();
        var same = await (await admin.Client.PostAsync("static-routes/", ("source", $"{source.Id()}"), ("destination", $"{source.Id()}"), ("gateway_ip", a.At(1)))).ShouldBeFieldErrorsAsync();
        var mixed = await (await admin.Client.PostAsync("static-routes/", ("source", $"{source.Id()}"), ("destination", $"{v6.Id()}"), ("gateway_ip", a.At(1)))).ShouldBeFieldErrorsAsync();

        duplicate["__all__"].ShouldBe(["Static route with this Source, Destination and Gateway ip already exists."]);
        same.Keys.ShouldBe(["__all__"]);
        mixed.Keys.ShouldBe(["__all__"]);
    }

    [Fact]
    public async Task Missing_and_invalid_fields_are_reported_together()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var missing = await (await admin.Client.PostAsync("static-routes/")).ShouldBeFieldErrorsAsync();
        var invalid = await (await admin.Client.PostAsync("static-routes/", ("source", "999999"), ("destination", "nope"), ("gateway_ip", "x"), ("metric", "-1"))).ShouldBeFieldErrorsAsync();

        missing.Keys.ShouldBe(["source", "destination", "gateway_ip"], ignoreOrder: true);
        invalid.Keys.ShouldBe(["source", "destination", "gateway_ip", "metric"], ignoreOrder: true);
    }

    [Fact]
    public async Task Writes_are_for_admins_and_unknown_ids_are_404()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var source = await admin.CreateSubnetAsync(a);
        var destination = await admin.CreateSubnetAsync(b);
        var route = await (await admin.Client.PostAsync(
            "static-routes/", ("source", $"{source.Id()}"), ("destination", $"{destination.Id()}"), ("gateway_ip", a.At(1)))).ShouldBeJsonAsync();

        await (await user.Client.PostAsync("static-routes/", ("source", $"{source.Id()}"), ("destination", $"{destination.Id()}"), ("gateway_ip", a.At(3)))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"static-routes/{route.Id()}/", ("metric", "1"))).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"static-routes/{route.Id()}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);
        (await (await user.Client.GetAsync($"static-routes/{route.Id()}/")).ShouldBeJsonAsync()).Id().ShouldBe(route.Id());
        (await (await admin.Client.GetAsync("static-routes/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound)).ShouldBe("No StaticRoute matches the given query.");
        await (await admin.Client.PutAsync("static-routes/999999/", ("metric", "1"))).ShouldBeTextAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync("static-routes/999999/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_subnet_deletes_its_routes()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (a, b) = (TestNet.Next(), TestNet.Next());
        var source = await admin.CreateSubnetAsync(a);
        var destination = await admin.CreateSubnetAsync(b);
        var route = await (await admin.Client.PostAsync(
            "static-routes/", ("source", $"{source.Id()}"), ("destination", $"{destination.Id()}"), ("gateway_ip", a.At(1)))).ShouldBeJsonAsync();

        await (await admin.Client.DeleteAsync($"subnets/{destination.Id()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);

        await (await admin.Client.GetAsync($"static-routes/{route.Id()}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }
}
