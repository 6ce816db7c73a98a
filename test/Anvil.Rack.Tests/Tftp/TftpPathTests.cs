using Anvil.Rack.Tftp;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

public sealed class TftpPathTests
{
    [Theory]
    [InlineData("pxelinux.0", "pxelinux.0")]
    [InlineData("/pxelinux.0", "pxelinux.0")]
    [InlineData("pxelinux.cfg/01-52-54-00-12-34-56", "pxelinux.cfg/01-52-54-00-12-34-56")]
    [InlineData("\\grub\\grub.cfg", "grub/grub.cfg")]
    [InlineData("grub//grub.cfg-default-amd64", "grub/grub.cfg-default-amd64")]
    [InlineData("./ipxe.cfg", "ipxe.cfg")]
    [InlineData("a..b/c..", "a..b/c..")]
    public void Harmless_names_become_relative_paths(string requested, string expected)
    {
        TftpPath.TryNormalise(requested, out var path).ShouldBeTrue();

        path.ShouldBe(expected);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/../etc/passwd")]
    [InlineData("grub/../../etc/passwd")]
    [InlineData("..\\..\\etc\\passwd")]
    [InlineData("..")]
    [InlineData("a/..")]
    [InlineData("//etc/passwd")]
    [InlineData("\\\\etc\\passwd")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData(".")]
    public void Names_that_could_leave_the_boot_directory_are_refused(string requested)
    {
        TftpPath.TryNormalise(requested, out _).ShouldBeFalse();
    }
}
