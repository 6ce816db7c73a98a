namespace Anvil.Client;

public class MaasApiUrlTests
{
    [Theory]
    [InlineData("http://h:5240/MAAS", "http://h:5240/MAAS/api/2.0/")]
    [InlineData("http://h:5240/MAAS/", "http://h:5240/MAAS/api/2.0/")]
    [InlineData("http://h:5240/MAAS/api/2.0", "http://h:5240/MAAS/api/2.0/")]
    [InlineData("http://h:5240/MAAS/api/2.0/", "http://h:5240/MAAS/api/2.0/")]
    [InlineData("https://maas.example/MAAS/api/1.0/", "https://maas.example/MAAS/api/1.0/")]
    [InlineData("http://h", "http://h/api/2.0/")]
    [InlineData("http://h:5240/", "http://h:5240/api/2.0/")]
    [InlineData("  http://h:5240/MAAS  ", "http://h:5240/MAAS/api/2.0/")]
    [InlineData("http://h:5240/MAAS/?x=1", "http://h:5240/MAAS/api/2.0/")]
    public void Normalize_appends_the_api_version_path_like_the_maas_cli(string input, string expected)
    {
        MaasApiUrl.Normalize(input).ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("h:5240/MAAS")]
    [InlineData("ftp://h/MAAS")]
    [InlineData("/MAAS")]
    [InlineData("")]
    public void Normalize_rejects_text_that_is_not_an_http_url(string input)
    {
        Should.Throw<FormatException>(() => MaasApiUrl.Normalize(input)).Message.ShouldContain("http");
    }
}
