using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class ApiDispatchTests
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Request_without_credentials_is_served_by_the_anonymous_handler()
    {
        await using var host = await ApiTestHost.StartAsync();

        var json = await JsonOf(await host.Client.GetAsync("/MAAS/api/2.0/widgets/?op=is_registered&mac_address=00:11:22:33:44:55"));

        json.GetProperty("user").ValueKind.ShouldBe(JsonValueKind.Null);
        json.GetProperty("action").GetString().ShouldBe("is_registered");
    }

    [Fact]
    public async Task Request_without_credentials_to_a_resource_without_anonymous_handler_is_401_with_Date()
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.Client.GetAsync("/MAAS/api/2.0/widgets/5/");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Date.ShouldNotBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
    }

    [Theory]
    [InlineData("GET", "/MAAS/api/2.0/widgets/?op=count")]
    [InlineData("POST", "/MAAS/api/2.0/widgets/?op=echo")]
    [InlineData("POST", "/MAAS/api/2.0/widgets/")]
    public async Task Request_without_credentials_for_an_action_only_the_authenticated_handler_has_is_401_not_400(string method, string url)
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
    }

    [Fact]
    public async Task Request_without_credentials_for_an_action_no_handler_has_is_still_400()
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.Client.PostAsync("/MAAS/api/2.0/widgets/?op=frobnicate", null);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Unrecognised signature: method=POST op=frobnicate");
    }

    [Fact]
    public async Task Authenticated_caller_reaches_the_authenticated_handler_not_the_anonymous_one()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser("erin");

        var response = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/?op=is_registered&mac_address=x", key);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Unrecognised signature: method=GET op=is_registered");
    }

    [Fact]
    public async Task Admin_only_action_is_403_for_a_normal_user_and_runs_for_a_superuser()
    {
        await using var host = await ApiTestHost.StartAsync();
        var user = host.AddUser("user");
        var admin = host.AddUser("admin", superuser: true);

        var refused = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=purge", user);
        var allowed = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=purge", admin);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldBe("This method is reserved for admin users.");
        refused.Headers.Date.ShouldNotBeNull();
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await allowed.Content.ReadAsStringAsync()).ShouldBe("OK");
    }

    [Fact]
    public async Task Op_is_taken_from_the_query_string()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        (await JsonOf(await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/?op=count", key))).GetProperty("action").GetString().ShouldBe("count");
    }

    [Fact]
    public async Task Op_is_taken_from_the_body_when_the_query_has_none()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/", key, new FormUrlEncodedContent([new("op", "echo"), new("a", "1")]));

        var json = await JsonOf(response);
        json.GetProperty("action").GetString().ShouldBe("echo");
        json.GetProperty("values").EnumerateObject().Select(p => p.Name).ShouldBe(["a"]);
    }

    [Fact]
    public async Task Op_is_taken_from_an_op_path_suffix()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var collection = await JsonOf(await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/op-echo", key));
        var instance = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/9/op-conflict", key);

        collection.GetProperty("action").GetString().ShouldBe("echo");
        instance.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Empty_op_means_no_op_as_gomaasapi_sends_on_creates()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=", key, new FormUrlEncodedContent([new("name", "w1")]));

        (await JsonOf(response)).GetProperty("action").GetString().ShouldBe("create");
    }

    [Theory]
    [InlineData("POST", "/MAAS/api/2.0/widgets/?op=frobnicate", "Unrecognised signature: method=POST op=frobnicate")]
    [InlineData("PUT", "/MAAS/api/2.0/widgets/", "Unrecognised signature: method=PUT op=None")]
    [InlineData("GET", "/MAAS/api/2.0/widgets/op-echo", "Unrecognised signature: method=GET op=echo")]
    public async Task Unknown_method_and_op_is_400_text(string method, string url, string message)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(new HttpMethod(method), url, key);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.ToString().ShouldBe(ApiResult.TextContentType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(message);
    }

    [Theory]
    [InlineData("/MAAS/api/2.0/nowhere/")]
    [InlineData("/MAAS/api/2.0/widgets")]
    [InlineData("/MAAS/api/2.0/")]
    [InlineData("/MAAS/api/3.0/widgets/")]
    public async Task Unknown_path_is_404_text_naming_the_path(string path)
    {
        await using var host = await ApiTestHost.StartAsync();

        var response = await host.Client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe($"Unknown API endpoint: {path}.");
    }

    [Fact]
    public async Task Declared_parameters_are_validated_together_into_one_400_json_dict()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/", key, new FormUrlEncodedContent(
            [new("size", "big"), new("ratio", "wide"), new("enabled", "perhaps")]));

        response.Content.Headers.ContentType!.ToString().ShouldBe(ApiResult.JsonContentType);
        var json = await JsonOf(response, HttpStatusCode.BadRequest);
        json.GetProperty("name")[0].GetString().ShouldBe("This field is required.");
        json.GetProperty("size")[0].GetString().ShouldBe("Enter a whole number.");
        json.GetProperty("ratio")[0].GetString().ShouldBe("Enter a number.");
        json.GetProperty("enabled").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Valid_declared_parameters_reach_the_action()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/", key, new FormUrlEncodedContent(
            [new("name", "w"), new("size", " 12 "), new("ratio", "0.5"), new("enabled", "yes")]));

        (await JsonOf(response)).GetProperty("values").GetProperty("size")[0].GetString().ShouldBe(" 12 ");
    }

    [Fact]
    public async Task Field_errors_thrown_by_an_action_are_400_json()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var json = await JsonOf(await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/1/?op=invalid", key), HttpStatusCode.BadRequest);

        json.GetProperty("name")[0].GetString().ShouldBe("Bad name.");
    }

    [Theory]
    [InlineData("conflict", HttpStatusCode.Conflict, "Widget is busy.")]
    [InlineData("missing", HttpStatusCode.NotFound, "No Widget matches the given query.")]
    [InlineData("gone", HttpStatusCode.Gone, "Gone for good.")]
    [InlineData("forbidden", HttpStatusCode.Forbidden, "Not yours.")]
    [InlineData("unavailable", HttpStatusCode.ServiceUnavailable, "No rack can reach it.")]
    public async Task Refusals_become_text_with_their_status(string op, HttpStatusCode status, string message)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, $"/MAAS/api/2.0/widgets/1/?op={op}", key);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.ToString().ShouldBe(ApiResult.TextContentType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(message);
        response.Headers.Contains(ApiPaths.HashHeader).ShouldBeTrue();
    }

    [Fact]
    public async Task Unavailable_carries_retry_after_10()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/1/?op=unavailable", key);

        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Unhandled_exception_is_500_text_logged_and_not_leaked()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/1/?op=explode", key);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.ToString().ShouldBe(ApiResult.TextContentType);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret internals");
        host.Logs.Messages.ShouldContain(m => m.StartsWith("Error 4000", StringComparison.Ordinal) && m.Contains("secret internals"));
    }

    [Fact]
    public async Task Every_api_response_carries_the_api_hash_including_errors()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var ok = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/", key);
        var unauthorised = await host.Client.GetAsync("/MAAS/api/2.0/widgets/1/");
        var notFound = await host.Client.GetAsync("/MAAS/api/2.0/nope/");

        var hashes = new[] { ok, unauthorised, notFound }.Select(r => r.Headers.GetValues(ApiPaths.HashHeader).Single()).Distinct().ToList();
        hashes.Count.ShouldBe(1);
        hashes[0].ShouldMatch("^[0-9a-f]{40}$");
    }

    [Fact]
    public async Task No_content_204_still_has_a_content_type()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Delete, "/MAAS/api/2.0/widgets/3/", key);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Content.Headers.ContentType.ShouldNotBeNull().ToString().ShouldBe(ApiResult.TextContentType);
    }

    [Fact]
    public async Task Path_parameters_reach_the_action_including_multi_segment_patterns()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var widget = await JsonOf(await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/abc123/", key));
        var subnet = await JsonOf(await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/subnets/10.0.0.0/24/", key));
        var special = await JsonOf(await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/special/", key));

        widget.GetProperty("route").GetProperty("widget_id").GetString().ShouldBe("abc123");
        subnet.GetProperty("route").GetProperty("subnet_id").GetString().ShouldBe("10.0.0.0/24");
        special.GetProperty("route").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Version_text_and_json_and_the_gone_v1_api()
    {
        await using var host = await ApiTestHost.StartAsync();

        var text = await host.Client.GetAsync("/MAAS/api/version/");
        var json = await JsonOf(await host.Client.GetAsync("/MAAS/api/2.0/version/"));
        var v1 = await host.Client.GetAsync("/MAAS/api/1.0/nodes/");

        (await text.Content.ReadAsStringAsync()).ShouldBe("2.0");
        text.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        json.GetProperty("version").GetString().ShouldBe(MaasVersion.Version);
        json.GetProperty("subversion").GetString().ShouldBe("");
        json.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()).ShouldBe(
        [
            "networks-management", "static-ipaddresses", "ipv6-deployment-ubuntu", "devices-management",
            "storage-deployment-ubuntu", "network-deployment-ubuntu", "bridging-interface-ubuntu",
            "bridging-automatic-ubuntu", "authenticate-api",
        ]);
        v1.StatusCode.ShouldBe(HttpStatusCode.Gone);
        v1.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
    }

    [Fact]
    public async Task Version_answers_signed_requests_too()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/version/", key);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe(ApiResult.JsonContentType);
    }

    [Fact]
    public async Task Hidden_handlers_are_still_served()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        (await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/secrets/", key)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Session_user_is_the_caller_only_when_no_oauth_credentials_are_sent()
    {
        await using var host = await ApiTestHost.StartAsync(services: s => s.AddSingleton<IApiSessionAuthenticator>(new HeaderSession()));
        var key = host.AddUser("oauth-user");

        using var sessionOnly = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        sessionOnly.Headers.Add("X-Test-Session", "yes");
        using var signedWithSession = host.Signed(HttpMethod.Get, "/MAAS/api/2.0/widgets/", key);
        signedWithSession.Headers.Add("X-Test-Session", "yes");

        (await JsonOf(await host.Client.SendAsync(sessionOnly))).GetProperty("user").GetString().ShouldBe("session-user");
        (await JsonOf(await host.Client.SendAsync(signedWithSession))).GetProperty("user").GetString().ShouldBe("oauth-user");
        (await JsonOf(await host.Client.GetAsync("/MAAS/api/2.0/widgets/"))).GetProperty("user").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private sealed class HeaderSession : IApiSessionAuthenticator
    {
        public Task<ApiUser?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken) =>
            Task.FromResult(context.Request.Headers.ContainsKey("X-Test-Session") ? new ApiUser(99, "session-user", "s@example.com", false) : null);
    }
}
