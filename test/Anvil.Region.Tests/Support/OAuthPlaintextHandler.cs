using System.Globalization;

namespace Anvil.Region.Tests.Support;

/// <summary>
/// Signs every request as MAAS's python clients do: OAuth 1.0 PLAINTEXT in the Authorization
/// header. Timestamps come from the server's clock, so they stay valid when a test moves it.
/// </summary>
internal sealed class OAuthPlaintextHandler(string consumerKey, string tokenKey, string tokenSecret, TimeProvider clock) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"OAuth oauth_consumer_key=\"{consumerKey}\", oauth_token=\"{tokenKey}\", oauth_signature_method=\"PLAINTEXT\", " +
            $"oauth_signature=\"%26{tokenSecret}\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\"");
        return base.SendAsync(request, cancellationToken);
    }
}
