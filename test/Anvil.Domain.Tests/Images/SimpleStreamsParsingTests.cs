using System.Text;
using Anvil.Domain.Images.SimpleStreams;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Images;

public sealed class SimpleStreamsParsingTests
{
    private const string KernelSha = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private const string SquashSha = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    // Shaped like images.maas.io's ephemeral-v3 index: one products document per content id.
    private const string Index = """
        {
         "format": "index:1.0",
         "updated": "Wed, 06 Mar 2024 12:00:00 +0000",
         "index": {
          "com.ubuntu.maas:stable:v3:download": {
           "datatype": "image-downloads",
           "path": "streams/v1/com.ubuntu.maas:stable:v3:download.json",
           "updated": "Wed, 06 Mar 2024 12:00:00 +0000",
           "products": ["com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04"],
           "format": "products:1.0"
          },
          "com.ubuntu.maas:stable:1:bootloader-download": {
           "datatype": "image-ids",
           "path": "streams/v1/com.ubuntu.maas:stable:1:bootloader-download.json",
           "format": "products:1.0"
          },
          "broken": {"datatype": "image-downloads"}
         }
        }
        """;

    private const string Products = $$"""
        {
         "content_id": "com.ubuntu.maas:stable:v3:download",
         "datatype": "image-downloads",
         "format": "products:1.0",
         "label": "stable",
         "products": {
          "com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04": {
           "arch": "amd64",
           "kflavor": "generic",
           "os": "ubuntu",
           "release": "jammy",
           "release_title": "22.04 LTS",
           "subarch": "ga-22.04",
           "subarches": "generic,hwe-p,ga-22.04",
           "versions": {
            "20240101": {
             "items": {
              "boot-kernel": {"ftype": "boot-kernel", "path": "jammy/amd64/20240101/ga-22.04/generic/boot-kernel", "sha256": "{{KernelSha}}", "size": 11}
             }
            },
            "20240301": {
             "label": "candidate",
             "items": {
              "boot-kernel": {"ftype": "boot-kernel", "path": "jammy/amd64/20240301/ga-22.04/generic/boot-kernel", "sha256": "{{KernelSha}}", "size": 11},
              "squashfs": {"ftype": "squashfs", "path": "jammy/amd64/20240301/squashfs", "sha256": "{{SquashSha}}", "size": 4096},
              "escape": {"ftype": "squashfs", "path": "../../etc/passwd", "sha256": "{{SquashSha}}", "size": 1},
              "nosha": {"ftype": "squashfs", "path": "x", "size": 1},
              "badsize": {"ftype": "squashfs", "path": "x", "sha256": "{{SquashSha}}", "size": "lots"}
             }
            }
           }
          }
         }
        }
        """;

    [Fact]
    public void An_index_lists_its_products_documents_by_content_id_and_leaves_out_entries_without_a_path()
    {
        StreamIndex.TryParse(Encoding.UTF8.GetBytes(Index), out var index, out var error).ShouldBeTrue(error);

        index.Entries.Select(e => e.ContentId).ShouldBe(["com.ubuntu.maas:stable:v3:download", "com.ubuntu.maas:stable:1:bootloader-download"]);
        var download = index.ImageDownloads.ShouldHaveSingleItem();
        download.Path.ShouldBe("streams/v1/com.ubuntu.maas:stable:v3:download.json");
        download.Products.ShouldBe(["com.ubuntu.maas.stable:v3:boot:22.04:amd64:ga-22.04"]);
    }

    [Fact]
    public void A_products_document_gives_each_version_the_properties_it_inherits_and_its_valid_items()
    {
        StreamProducts.TryParse(Encoding.UTF8.GetBytes(Products), out var products, out var error).ShouldBeTrue(error);

        products.ContentId.ShouldBe("com.ubuntu.maas:stable:v3:download");
        products.Images.Count.ShouldBe(2);
        var latest = products.Latest.ShouldHaveSingleItem();
        latest.Version.ShouldBe("20240301");
        (latest.Os, latest.Release, latest.Arch, latest.Subarch).ShouldBe(("ubuntu", "jammy", "amd64", "ga-22.04"));
        latest.Label.ShouldBe("candidate");
        latest.Get("subarches").ShouldBe("generic,hwe-p,ga-22.04");
        latest.Items.Select(i => i.Name).Order().ShouldBe(["boot-kernel", "squashfs"]);
        var squashfs = latest.Items.Single(i => i.Name == "squashfs");
        (squashfs.FileType, squashfs.Path, squashfs.Sha256, squashfs.Size).ShouldBe(("squashfs", "jammy/amd64/20240301/squashfs", SquashSha, 4096L));
        products.Skipped.ShouldBe(3);
        products.Images.Single(i => i.Version == "20240101").Label.ShouldBe("stable");
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"format\": \"index:1.0\"}")]
    [InlineData("{\"format\": \"products:1.0\", \"products\": []}")]
    [InlineData("{\"format\": \"index:2.0\", \"index\": {}}")]
    [InlineData("{\"products\": {\"p\": {\"versions\": {\"1\": {\"items\": {\"i\": 7}}}}}")]
    [InlineData("{\"index\": {\"a\": {\"path\": 5}}, \"products\": {\"p\": 1}")]
    public void Documents_that_are_not_simplestreams_are_refused_without_an_exception(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Should.NotThrow(() => StreamIndex.TryParse(bytes, out _, out _));
        Should.NotThrow(() => StreamProducts.TryParse(bytes, out _, out _));
        if (StreamProducts.TryParse(bytes, out var products, out _))
            products.Images.SelectMany(i => i.Items).ShouldBeEmpty();
    }

    [Fact]
    public void Random_bytes_and_every_truncation_of_a_real_document_never_throw()
    {
        var random = new Random(7);
        var real = Encoding.UTF8.GetBytes(Products);
        for (var length = 0; length < real.Length; length += 13)
        {
            var slice = real.AsSpan(0, length).ToArray();
            Should.NotThrow(() => StreamProducts.TryParse(slice, out _, out _));
            Should.NotThrow(() => StreamIndex.TryParse(slice, out _, out _));
        }

        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            StreamProducts.TryParse(bytes, out _, out var error).ShouldBeFalse();
            error.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void Deeply_nested_json_is_refused_rather_than_recursed_into()
    {
        var deep = Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
        StreamProducts.TryParse(deep, out _, out var error).ShouldBeFalse();
        error.ShouldContain("JSON");
    }
}
