namespace Anvil.Client;

public class MaasApiKeyTests
{
    [Fact]
    public void Parse_three_parts_gives_keys_and_empty_consumer_secret()
    {
        var key = MaasApiKey.Parse("ckAAA:tkBBB:tsCCC");

        key.ConsumerKey.ShouldBe("ckAAA");
        key.TokenKey.ShouldBe("tkBBB");
        key.TokenSecret.ShouldBe("tsCCC");
        key.ConsumerSecret.ShouldBe("");
    }

    [Fact]
    public void Parse_four_parts_takes_the_fourth_as_consumer_secret()
    {
        var key = MaasApiKey.Parse("ck:tk:ts:cs");

        key.ConsumerSecret.ShouldBe("cs");
        key.TokenSecret.ShouldBe("ts");
    }

    [Fact]
    public void Parse_ignores_surrounding_whitespace_such_as_a_newline_from_stdin()
    {
        MaasApiKey.Parse("  ck:tk:ts\n").ShouldBe(new MaasApiKey("ck", "tk", "ts"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("justonepart")]
    [InlineData("ck:tk")]
    [InlineData("ck:tk:ts:cs:extra")]
    [InlineData(":tk:ts")]
    [InlineData("ck::ts")]
    [InlineData("ck:tk:")]
    public void Parse_rejects_malformed_keys_with_a_format_exception(string text)
    {
        var error = Should.Throw<FormatException>(() => MaasApiKey.Parse(text));

        error.Message.ShouldContain("consumer_key:token_key:token_secret");
    }

    [Fact]
    public void Parse_error_message_does_not_echo_the_secret()
    {
        var error = Should.Throw<FormatException>(() => MaasApiKey.Parse("ck:tk:supersecretvalue:cs:x"));

        error.Message.ShouldNotContain("supersecretvalue");
        error.Message.ShouldContain("5 part(s)");
    }

    [Fact]
    public void TryParse_returns_false_instead_of_throwing()
    {
        MaasApiKey.TryParse("nope", out var key).ShouldBeFalse();
        key.ShouldBeNull();
        MaasApiKey.TryParse("a:b:c", out key).ShouldBeTrue();
        key.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("ck:tk:ts")]
    [InlineData("ck:tk:ts:cs")]
    public void ToKeyString_round_trips_through_Parse(string text)
    {
        MaasApiKey.Parse(text).ToKeyString().ShouldBe(text);
    }

    [Fact]
    public void ToString_masks_the_secrets()
    {
        var text = new MaasApiKey("ck", "tk", "tokensecret", "consumersecret").ToString();

        text.ShouldBe("ck:tk:***");
    }
}
