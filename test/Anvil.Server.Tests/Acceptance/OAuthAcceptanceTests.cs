using System.Net;
using Anvil.Server.Support;
using Xunit;

namespace Anvil.Server.Acceptance;

/// <summary>The admin key anvild prints, used in a hand-built OAuth 1.0a PLAINTEXT header.</summary>
[Collection(AnvildCollection.Name)]
public sealed class OAuthAcceptanceTests(AnvildFixture fixture)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Whoami_with_the_printed_admin_key_is_200()
    {
        var (status, body, _) = await WhoAmIAsync(fixture.Anvild.AdminKey, Nonce());
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("\"username\":\"admin\"");
        body.ShouldContain("\"is_superuser\":true");
    }

    [Fact]
    public async Task Wrong_secret_is_401_with_a_Date_header()
    {
        var parts = fixture.Anvild.AdminKey.Split(':');
        var (status, _, response) = await WhoAmIAsync($"{parts[0]}:{parts[1]}:{new string('x', 32)}", Nonce());
        status.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Date.ShouldNotBeNull();
    }

    [Fact]
    public async Task Replayed_nonce_is_401()
    {
        var nonce = Nonce();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (await WhoAmIAsync(fixture.Anvild.AdminKey, nonce, timestamp)).Status.ShouldBe(HttpStatusCode.OK);
        var (status, _, response) = await WhoAmIAsync(fixture.Anvild.AdminKey, nonce, timestamp);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Date.ShouldNotBeNull();
    }

    [Fact]
    public async Task No_credentials_on_an_authenticated_resource_is_401()
    {
        using var response = await Http.GetAsync($"{fixture.Anvild.ApiUrl}machines/");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static string Nonce() => Guid.NewGuid().ToString("N");

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> WhoAmIAsync(string key, string nonce, long? timestamp = null)
    {
        var parts = key.Split(':');
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Anvild.ApiUrl}users/?op=whoami");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"OAuth realm=\"\", oauth_consumer_key=\"{parts[0]}\", oauth_token=\"{parts[1]}\", oauth_signature_method=\"PLAINTEXT\", " +
            $"oauth_signature=\"%26{parts[2]}\", oauth_timestamp=\"{timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\", " +
            $"oauth_nonce=\"{nonce}\", oauth_version=\"1.0\"");
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }
}
