namespace Anvil.Cli.Api;

public class DataArgumentTests
{
    [Theory]
    [InlineData("distro_series=jammy", "distro_series", "jammy")]
    [InlineData("storage=root:100,data:50", "storage", "root:100,data:50")]
    [InlineData("kernel_opts=console=ttyS0", "kernel_opts", "console=ttyS0")]
    [InlineData("comment=", "comment", "")]
    public void Parse_splits_key_and_value_at_the_first_equals(string token, string key, string value)
    {
        DataArgument.Parse(token).ShouldBe(new DataArgument(key, value, null));
    }

    [Fact]
    public void Parse_reads_key_at_equals_as_a_file_reference()
    {
        DataArgument.Parse("user_data@=/tmp/cloud-init.yaml").ShouldBe(new DataArgument("user_data", null, "/tmp/cloud-init.yaml"));
    }

    [Theory]
    [InlineData("jammy")]
    [InlineData("=value")]
    [InlineData("")]
    public void Parse_rejects_tokens_that_are_not_pairs(string token)
    {
        Should.Throw<FormatException>(() => DataArgument.Parse(token)).Message.ShouldContain("key=value");
    }
}
