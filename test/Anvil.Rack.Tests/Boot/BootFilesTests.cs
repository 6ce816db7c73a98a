using System.Net;
using Anvil.Domain.Boot;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Boot;

public sealed class BootFilesTests
{
    private static readonly BootClient Client = new(IPAddress.Parse("10.30.0.1"), IPAddress.Parse("10.30.0.77"));

    [Fact]
    public async Task A_per_mac_ipxe_name_asks_the_region_and_renders_its_answer()
    {
        using var tree = new TempBootTree();
        var region = new FakeRegionBootConfigSource();
        var files = new BootFiles(region, new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync("/ipxe.cfg-52:54:00:AA:00:01", Client, CancellationToken.None);

        region.Requests.ShouldHaveSingleItem().ShouldBe(new BootRequest("10.30.0.1", "10.30.0.77", "52:54:00:aa:00:01", BiosBootMethod: "ipxe"));
        file.ShouldNotBeNull().ContentType.ShouldBe("text/plain");
        var text = await new StreamReader(file.Content).ReadToEndAsync();
        text.ShouldStartWith("#!ipxe\n");
        text.ShouldContain("kernel --name kernel http://10.30.0.1:5248/images/");
        file.Length.ShouldBe(text.Length);
    }

    [Theory]
    [InlineData("pxelinux.cfg/01-52-54-00-aa-00-01", "DEFAULT execute")]
    [InlineData("grub/grub.cfg-52:54:00:aa:00:01", "set default=\"0\"")]
    public async Task Each_bootloader_gets_its_own_format(string path, string firstLine)
    {
        using var tree = new TempBootTree();
        var files = new BootFiles(new FakeRegionBootConfigSource(), new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync(path, Client, CancellationToken.None);

        (await new StreamReader(file.ShouldNotBeNull().Content).ReadLineAsync()).ShouldBe(firstLine);
    }

    [Theory]
    [InlineData("ipxe.cfg")]
    [InlineData("grub/grub.cfg")]
    public async Task First_stage_names_are_answered_without_the_region(string path)
    {
        using var tree = new TempBootTree();
        var region = new FakeRegionBootConfigSource();
        var files = new BootFiles(region, new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync(path, Client, CancellationToken.None);

        file.ShouldNotBeNull();
        region.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_generated_name_wins_over_a_file_of_the_same_name()
    {
        using var tree = new TempBootTree();
        tree.Write("ipxe.cfg", "stale file");
        var files = new BootFiles(new FakeRegionBootConfigSource(), new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync("ipxe.cfg", Client, CancellationToken.None);

        (await new StreamReader(file.ShouldNotBeNull().Content).ReadToEndAsync()).ShouldBe(IpxeScript.FirstStage);
    }

    [Fact]
    public async Task Other_names_are_files_from_the_boot_resources_directory()
    {
        using var tree = new TempBootTree();
        var bytes = tree.Write("images/abc1234/boot-kernel", new byte[] { 1, 2, 3, 4 });
        var files = new BootFiles(new FakeRegionBootConfigSource(), new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync("/images/abc1234/boot-kernel", Client, CancellationToken.None);

        file.ShouldNotBeNull().Length.ShouldBe(4);
        file.ContentType.ShouldBe("application/octet-stream");
        var read = new MemoryStream();
        await file.Content.CopyToAsync(read);
        read.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public async Task An_images_name_falls_back_to_the_bootloader_at_the_root()
    {
        using var tree = new TempBootTree();
        tree.Write("bootx64.efi", "shim");
        var files = new BootFiles(new FakeRegionBootConfigSource(), new BootResourcesDirectory(tree.Root));

        await using var file = await files.OpenAsync("/images/bootx64.efi", Client, CancellationToken.None);

        (await new StreamReader(file.ShouldNotBeNull().Content).ReadToEndAsync()).ShouldBe("shim");
    }

    [Theory]
    [InlineData("missing.c32")]
    [InlineData("../secret.txt")]
    [InlineData("images/../../secret.txt")]
    [InlineData("pxelinux.cfg/C0A80001")]
    public async Task Unknown_or_escaping_names_are_no_file(string path)
    {
        using var tree = new TempBootTree();
        var files = new BootFiles(new FakeRegionBootConfigSource(), new BootResourcesDirectory(tree.Root));

        (await files.OpenAsync(path, Client, CancellationToken.None)).ShouldBeNull();
    }
}
