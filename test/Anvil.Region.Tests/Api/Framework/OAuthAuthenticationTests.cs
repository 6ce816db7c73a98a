using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class OAuthAuthenticationTests
{
    private static async Task<string?> CallerOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("user").GetString();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("OAuth", false)]
    [InlineData("MAAS+API", true)]
    [InlineData("MAAS API", false)]
    public async Task Signed_header_authenticates_with_any_realm_and_parameter_order(string? realm, bool reverseOrder)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds), realm, reverseOrder));

        (await CallerOf(await host.Client.SendAsync(request))).ShouldBe("alice");
    }

    [Fact]
    public async Task Credentials_in_the_query_string_authenticate()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser("bob");
        var query = string.Join("&", OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        var response = await host.Client.GetAsync($"/MAAS/api/2.0/widgets/?{query}");

        (await CallerOf(response)).ShouldBe("bob");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("values").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Credentials_in_an_urlencoded_body_authenticate_and_are_not_form_fields()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser("carol");
        var fields = OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds).Append(new("note", "hi"));

        var response = await host.Client.PostAsync("/MAAS/api/2.0/widgets/?op=echo", new FormUrlEncodedContent(fields));

        (await CallerOf(response)).ShouldBe("carol");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("values").EnumerateObject().Select(p => p.Name).ShouldBe(["note"]);
    }

    [Fact]
    public async Task Percent_encoded_consumer_and_token_secrets_are_decoded_before_comparing()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.Store.AddKey(new ApiUser(7, "dave", "d@example.com", false), consumerSecret: "c&s %");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds)));

        (await CallerOf(await host.Client.SendAsync(request))).ShouldBe("dave");
    }

    [Fact]
    public async Task Wrong_secret_is_401_with_a_Date_header_and_the_secret_is_never_logged()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        const string wrongSecret = "WrongSecretWrongSecretWrongSecret";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds, tokenSecret: wrongSecret)));

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("Authorization Error:");
        response.Headers.Date.ShouldBe(host.Clock.Now);
        host.Logs.Messages.ShouldNotBeEmpty();
        host.Logs.Messages.ShouldAllBe(m => !m.Contains(wrongSecret) && !m.Contains(key.TokenSecret));
    }

    [Fact]
    public async Task Replayed_nonce_is_401()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var header = OAuthTestSigner.Header(OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds, nonce: "once"));
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            return await host.Client.SendAsync(request);
        }

        (await Send()).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replay = await Send();

        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await replay.Content.ReadAsStringAsync()).ShouldContain("Nonce already used");
        replay.Headers.Date.ShouldNotBeNull();
    }

    [Theory]
    [InlineData(-301, HttpStatusCode.Unauthorized)]
    [InlineData(301, HttpStatusCode.Unauthorized)]
    [InlineData(-300, HttpStatusCode.OK)]
    [InlineData(300, HttpStatusCode.OK)]
    public async Task Timestamps_more_than_300_seconds_from_now_are_refused(int offset, HttpStatusCode expected)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds + offset)));

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.Unauthorized)
            (await response.Content.ReadAsStringAsync()).ShouldContain("Expired timestamp");
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task Non_integer_timestamp_is_400_bad_request(string timestamp)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var parameters = OAuthTestSigner.Parameters(key, 0);
        parameters["oauth_timestamp"] = timestamp;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(parameters));

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("Bad Request: ");
    }

    [Fact]
    public async Task Unknown_consumer_is_401_invalid_api_key()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser() with { ConsumerKey = "nobodyknowsthis123" };

        var response = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/", key);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Authorization Error: Invalid API key.");
    }

    [Fact]
    public async Task Unknown_token_is_401_naming_the_token()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser() with { TokenKey = "unknowntokenkey123" };

        var response = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/", key);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Invalid access token: unknowntokenkey123");
    }

    [Fact]
    public async Task Missing_oauth_parameter_is_401_and_never_falls_back_to_anonymous()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var parameters = OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds);
        parameters.Remove("oauth_nonce");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(parameters));

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("oauth_nonce");
    }

    [Fact]
    public async Task Hmac_signature_method_is_refused()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var parameters = OAuthTestSigner.Parameters(key, host.Clock.UnixSeconds);
        parameters["oauth_signature_method"] = "HMAC-SHA1";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/widgets/");
        request.Headers.TryAddWithoutValidation("Authorization", OAuthTestSigner.Header(parameters));

        (await host.Client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Inactive_user_is_403_with_a_Date_header()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser(active: false);

        var response = await host.SendSignedAsync(HttpMethod.Get, "/MAAS/api/2.0/widgets/", key);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldBe("User is not allowed access to this API.");
        response.Headers.Date.ShouldNotBeNull();
    }
}
