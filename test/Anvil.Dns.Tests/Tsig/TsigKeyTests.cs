using Anvil.Dns.Tsig;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Tsig;

public sealed class TsigKeyTests
{
    [Fact]
    public void A_generated_sha512_key_has_a_64_byte_secret_and_a_normalised_name()
    {
        var key = TsigKey.Generate("Anvil.");
        key.Name.ShouldBe("anvil");
        key.Secret.Length.ShouldBe(64);
        key.BindAlgorithmName.ShouldBe("hmac-sha512");
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        var key = TsigKey.Generate("anvil", TsigAlgorithm.HmacSha256);
        key.ToString().ShouldNotContain(key.SecretBase64);
    }
}
