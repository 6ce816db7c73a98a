using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class OAuthParametersTests
{
    [Theory]
    [InlineData("OAuth oauth_consumer_key=\"ck\", oauth_token=\"tk\", oauth_signature=\"%26secret\"")]
    [InlineData("OAuth realm=\"\", oauth_token=\"tk\", oauth_signature=\"%26secret\", oauth_consumer_key=\"ck\"")]
    [InlineData("OAuth realm=\"OAuth\", oauth_signature=\"%26secret\", oauth_consumer_key=\"ck\", oauth_token=\"tk\"")]
    [InlineData("OAuth realm=\"MAAS+API\",oauth_consumer_key=\"ck\",oauth_token=\"tk\",oauth_signature=\"%26secret\"")]
    [InlineData("OAuth realm=\"MAAS API\", oauth_consumer_key=ck, oauth_token=tk, oauth_signature=%26secret")]
    public void Header_parses_with_any_realm_order_quoting_and_percent_encoding(string header)
    {
        var parameters = OAuthParameters.ParseAuthorizationHeader(header).ShouldNotBeNull();

        parameters["oauth_consumer_key"].ShouldBe("ck");
        parameters["oauth_token"].ShouldBe("tk");
        parameters["oauth_signature"].ShouldBe("&secret");
        parameters.ShouldNotContainKey("realm");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer abc")]
    [InlineData("OAuthentic x=1")]
    public void Non_oauth_headers_are_not_credentials(string? header)
    {
        OAuthParameters.ParseAuthorizationHeader(header).ShouldBeNull();
    }
}
