using Shouldly;
using Xunit;

namespace Anvil.Rpc.Tests;

public sealed class SharedSecretTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("zz23456789abcdef0123456789abcdef")]
    public void Short_or_non_hex_secrets_are_refused(string? text) => SharedSecret.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void A_generated_secret_round_trips_through_hex()
    {
        var secret = SharedSecret.Generate();
        var again = SharedSecret.Parse(secret.ToHex());

        again.Sign("a", "b").ShouldBe(secret.Sign("a", "b"));
        secret.ToHex().Length.ShouldBe(64);
    }

    [Fact]
    public void Signatures_depend_on_how_the_parts_are_split()
    {
        var secret = SharedSecret.Generate();

        secret.Sign("ab", "c").ShouldNotBe(secret.Sign("a", "bc"));
        secret.Verify(secret.Sign("rack", "n1", "n2"), "region", "n1", "n2").ShouldBeFalse();
    }

    [Fact]
    public void The_secret_never_shows_in_text() => SharedSecret.Generate().ToString().ShouldBe("SharedSecret(****)");
}
