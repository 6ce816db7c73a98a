using Anvil.Domain.Errors;
using Anvil.Domain.Images;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Images;

public sealed class BootImageNamingTests
{
    [Theory]
    [InlineData("debian/bookworm", "debian", "bookworm", "debian/bookworm")]
    [InlineData("ubuntu/noble", "ubuntu", "noble", "ubuntu/noble")]
    [InlineData("custom/my-image", "custom", "my-image", "custom/my-image")]
    [InlineData("my-image", "custom", "my-image", "my-image")]
    public void Names_are_os_and_series_with_bare_names_being_custom(string text, string os, string series, string stored)
    {
        BootResourceName.TryParse(text, out var name).ShouldBeTrue();
        (name.Os, name.Series, name.Stored).ShouldBe((os, series, stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b/c")]
    [InlineData("/bookworm")]
    [InlineData("debian/")]
    [InlineData("debian/../etc")]
    [InlineData("deb ian/x")]
    public void Malformed_names_are_refused_with_a_field_error(string text)
    {
        BootResourceName.TryParse(text, out _).ShouldBeFalse();
        Should.Throw<ValidationException>(() => BootResourceName.Parse("name", text)).FieldErrors.Keys.ShouldBe(["name"]);
    }

    [Theory]
    [InlineData("amd64/generic", true)]
    [InlineData("arm64/hwe-22.04", true)]
    [InlineData("amd64", false)]
    [InlineData("amd64/", false)]
    [InlineData("AMD64/generic", false)]
    [InlineData("amd64/generic/x", false)]
    public void Architectures_are_arch_slash_subarch(string text, bool valid) =>
        BootArchitecture.TryParse(text, out _).ShouldBe(valid);

    [Fact]
    public void Upload_filetypes_map_onto_maas_file_types_and_tgz_is_a_root_tarball()
    {
        BootFileTypes.ForUpload("tgz").ShouldBe("root-tgz");
        BootFileTypes.ForUpload("ddxz").ShouldBe("root-dd.xz");
        BootFileTypes.ForUpload("zip").ShouldBeNull();
        BootFileTypes.IsRootImage("root-tgz").ShouldBeTrue();
        BootFileTypes.IsRootImage("root-dd.raw").ShouldBeTrue();
        BootFileTypes.IsRootImage("squashfs").ShouldBeFalse();
        BootFileTypes.IsDiskImage("root-tgz").ShouldBeFalse();
    }

    [Fact]
    public void Short_shas_are_seven_digits_unless_two_files_share_more()
    {
        var a = "abcdef0123" + new string('0', 54);
        var b = "abcdef0199" + new string('0', 54);
        var c = "1234567" + new string('f', 57);

        var shortShas = ImagePaths.ShortShas([a, b, c, c]);

        shortShas[c].ShouldBe("1234567");
        shortShas[a].ShouldBe("abcdef012");
        shortShas[b].ShouldBe("abcdef019");
        ImagePaths.For(shortShas[c], new BootResourceName("debian", "bookworm"), new BootArchitecture("amd64", "generic"), "uploaded", "root-tgz")
            .ShouldBe("1234567/debian/amd64/generic/bookworm/uploaded/root-tgz");
    }

    [Theory]
    [InlineData("*", "*", "*", true)]
    [InlineData("amd64", "*", "*", true)]
    [InlineData("arm64", "*", "*", false)]
    [InlineData("amd64", "hwe-22.04", "*", false)]
    [InlineData("amd64", "ga-22.04", "stable", true)]
    [InlineData("amd64", "ga-22.04", "candidate", false)]
    public void A_selection_matches_on_os_release_and_each_list_where_star_is_any(string arch, string subarch, string label, bool expected)
    {
        var filter = new SelectionFilter("ubuntu", "jammy", [arch], [subarch], [label]);

        filter.Matches("ubuntu", "jammy", "amd64", "ga-22.04", "stable").ShouldBe(expected);
        filter.Matches("ubuntu", "noble", "amd64", "ga-22.04", "stable").ShouldBeFalse();
    }
}
