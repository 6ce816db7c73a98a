namespace Anvil.Cli.Api;

public class DocTextTests
{
    [Theory]
    [InlineData("Deploy a machine.\n\nDeploys an OS.", "Deploy a machine.")]
    [InlineData("\n    Manage a VLAN\n    on a fabric.\n\n    More text.", "Manage a VLAN on a fabric.")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Title_is_the_first_paragraph_on_one_line(string? doc, string expected)
    {
        DocText.Title(doc).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Deploy.\n\nDeploys.\n\n:param distro_series: Optional. Release.\n", true)]
    [InlineData("Deploy.\n\n  :param distro_series: Optional.", true)]
    [InlineData("Get power parameters.\n\nGets power parameters.", false)]
    [InlineData(":param x: in the title only", false)]
    [InlineData(null, false)]
    public void DocumentsParameters_needs_param_lines_after_the_first_paragraph(string? doc, bool expected)
    {
        DocText.DocumentsParameters(doc).ShouldBe(expected);
    }
}
