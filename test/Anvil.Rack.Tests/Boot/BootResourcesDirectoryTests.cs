using System.Text;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

public sealed class BootResourcesDirectoryTests
{
    [Theory]
    [InlineData("lpxelinux.0")]
    [InlineData("/lpxelinux.0")]
    [InlineData("//lpxelinux.0")]
    public void A_file_at_the_root_opens_with_or_without_leading_slashes(string name)
    {
        using var tree = new TempBootTree();
        tree.Write("lpxelinux.0", "pxelinux");
        var directory = new BootResourcesDirectory(tree.Root);

        using var stream = directory.Open(name);

        stream.ShouldNotBeNull();
        new StreamReader(stream).ReadToEnd().ShouldBe("pxelinux");
    }

    [Fact]
    public void A_file_in_a_subdirectory_opens_and_backslashes_separate_too()
    {
        using var tree = new TempBootTree();
        tree.Write("images/abc1234/boot-kernel", "kernel");
        var directory = new BootResourcesDirectory(tree.Root);

        using (var stream = directory.Open("images/abc1234/boot-kernel"))
            stream.ShouldNotBeNull().Length.ShouldBe(6);
        using (var stream = directory.Open("images\\abc1234\\boot-kernel"))
            stream.ShouldNotBeNull().Length.ShouldBe(6);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("../../etc/passwd")]
    [InlineData("images/../../secret.txt")]
    [InlineData("..\\secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("..%2fsecret.txt")]
    [InlineData("%2e%2e/secret.txt")]
    [InlineData("lpxelinux.0\0")]
    [InlineData("lpxelinux.0\0.png")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData(".")]
    [InlineData("images")]
    [InlineData("missing.efi")]
    public void Names_that_leave_the_root_or_name_no_file_open_nothing(string name)
    {
        using var tree = new TempBootTree();
        tree.Write("lpxelinux.0", "pxelinux");
        tree.Write("images/abc1234/boot-kernel", "kernel");
        var directory = new BootResourcesDirectory(tree.Root);

        directory.Open(name).ShouldBeNull();
    }

    [Fact]
    public void An_absolute_name_means_the_root_and_not_the_host_file_system()
    {
        using var tree = new TempBootTree();
        tree.Write("etc/passwd", "the boot tree's own");
        var directory = new BootResourcesDirectory(tree.Root);

        using var stream = directory.Open("/etc/passwd");

        new StreamReader(stream.ShouldNotBeNull()).ReadToEnd().ShouldBe("the boot tree's own");
    }

    [Fact]
    public void A_symlink_to_a_file_outside_the_root_opens_nothing()
    {
        using var tree = new TempBootTree();
        File.CreateSymbolicLink(Path.Combine(tree.Root, "escape.efi"), tree.OutsideFile);
        var directory = new BootResourcesDirectory(tree.Root);

        directory.Open("escape.efi").ShouldBeNull();
    }

    [Fact]
    public void A_symlinked_directory_outside_the_root_opens_nothing()
    {
        using var tree = new TempBootTree();
        Directory.CreateSymbolicLink(Path.Combine(tree.Root, "images"), tree.Base);
        var directory = new BootResourcesDirectory(tree.Root);

        directory.Open("images/secret.txt").ShouldBeNull();
    }

    [Fact]
    public void A_relative_symlink_climbing_out_opens_nothing()
    {
        using var tree = new TempBootTree();
        Directory.CreateDirectory(Path.Combine(tree.Root, "grub"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "grub", "grub.cfg-x"), "../../secret.txt");
        var directory = new BootResourcesDirectory(tree.Root);

        directory.Open("grub/grub.cfg-x").ShouldBeNull();
    }

    [Fact]
    public void A_symlink_that_stays_inside_the_root_opens()
    {
        using var tree = new TempBootTree();
        tree.Write("images/abc1234", "squashfs");
        File.CreateSymbolicLink(Path.Combine(tree.Root, "current"), "images/abc1234");
        var directory = new BootResourcesDirectory(tree.Root);

        using var stream = directory.Open("current");

        new StreamReader(stream.ShouldNotBeNull()).ReadToEnd().ShouldBe("squashfs");
    }

    [Fact]
    public void A_root_reached_through_a_symlink_serves_its_files()
    {
        using var tree = new TempBootTree();
        tree.Write("bootx64.efi", "shim");
        var link = Path.Combine(tree.Base, "root-link");
        Directory.CreateSymbolicLink(link, tree.Root);
        var directory = new BootResourcesDirectory(link);

        directory.Root.ShouldBe(tree.Root);
        using var stream = directory.Open("bootx64.efi");
        stream.ShouldNotBeNull();
    }

    [Fact]
    public void A_symlink_loop_opens_nothing()
    {
        using var tree = new TempBootTree();
        File.CreateSymbolicLink(Path.Combine(tree.Root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(tree.Root, "b"), "a");
        var directory = new BootResourcesDirectory(tree.Root);

        directory.Open("a").ShouldBeNull();
    }

    [Fact]
    public void A_missing_root_is_refused_with_a_message_that_names_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "anvil-no-such-dir-" + Guid.NewGuid().ToString("N"));

        Should.Throw<DirectoryNotFoundException>(() => new BootResourcesDirectory(missing)).Message.ShouldContain(missing);
    }

    [Fact]
    public void The_opened_stream_is_seekable_for_retransmissions()
    {
        using var tree = new TempBootTree();
        tree.Write("ldlinux.c32", Encoding.ASCII.GetBytes("0123456789"));
        var directory = new BootResourcesDirectory(tree.Root);

        using var stream = directory.Open("ldlinux.c32").ShouldNotBeNull();
        stream.Seek(5, SeekOrigin.Begin);

        stream.ReadByte().ShouldBe('5');
    }
}
