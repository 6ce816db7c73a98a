using System.Text.RegularExpressions;
using Anvil.Client.Support;

namespace Anvil.Client;

public class OAuthSignerTests
{
    private static Dictionary<string, string> ParseParameters(string parameter) =>
        parameter.Split(", ")
            .Select(field => field.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1].Trim('"'));

    [Fact]
    public void CreateHeader_uses_the_OAuth_scheme_with_all_PLAINTEXT_fields()
    {
        var signer = new OAuthSigner(new MaasApiKey("ck1", "tk1", "ts1"));

        var header = signer.CreateHeader();

        header.Scheme.ShouldBe("OAuth");
        var fields = ParseParameters(header.Parameter!);
        fields.Keys.ShouldBe(
            ["oauth_version", "oauth_signature_method", "oauth_consumer_key", "oauth_token", "oauth_signature", "oauth_timestamp", "oauth_nonce"],
            ignoreOrder: true);
        fields["oauth_version"].ShouldBe("1.0");
        fields["oauth_signature_method"].ShouldBe("PLAINTEXT");
        fields["oauth_consumer_key"].ShouldBe("ck1");
        fields["oauth_token"].ShouldBe("tk1");
    }

    [Fact]
    public void Signature_is_percent_encoded_ampersand_then_token_secret_for_user_keys()
    {
        var fields = ParseParameters(new OAuthSigner(new MaasApiKey("ck", "tk", "s3cr3t")).CreateParameter());

        fields["oauth_signature"].ShouldBe("%26s3cr3t");
    }

    [Fact]
    public void Signature_prepends_the_consumer_secret_when_present()
    {
        var fields = ParseParameters(new OAuthSigner(new MaasApiKey("ck", "tk", "tokensecret", "consumersecret")).CreateParameter());

        fields["oauth_signature"].ShouldBe("consumersecret%26tokensecret");
    }

    [Fact]
    public void Header_values_are_percent_encoded()
    {
        var fields = ParseParameters(new OAuthSigner(new MaasApiKey("c k", "t/k", "a&b")).CreateParameter());

        fields["oauth_consumer_key"].ShouldBe("c%20k");
        fields["oauth_token"].ShouldBe("t%2Fk");
        fields["oauth_signature"].ShouldBe("%26a%2526b");
    }

    [Fact]
    public void Timestamp_is_unix_seconds_from_the_injected_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var signer = new OAuthSigner(new MaasApiKey("ck", "tk", "ts"), clock);

        ParseParameters(signer.CreateParameter())["oauth_timestamp"].ShouldBe("1714979289");
        clock.Now = clock.Now.AddSeconds(61);
        ParseParameters(signer.CreateParameter())["oauth_timestamp"].ShouldBe("1714979350");
    }

    [Fact]
    public void Nonce_is_16_random_bytes_in_hex_and_new_for_every_header()
    {
        var signer = new OAuthSigner(new MaasApiKey("ck", "tk", "ts"));

        var nonces = Enumerable.Range(0, 20).Select(_ => ParseParameters(signer.CreateParameter())["oauth_nonce"]).ToList();

        nonces.ShouldAllBe(n => Regex.IsMatch(n, "^[0-9a-f]{32}$"));
        nonces.Distinct().Count().ShouldBe(20);
    }
}
